/*  test_cert.c: CURVE certificate files (proto/gl_cert.c).
 *
 *  A pair written by gl_cert_save() reads back, with the modes and the
 *  layout czmq's zcert writes; certificates as czmq and pyzmq write them
 *  (metadata, comments, either quote) read; every malformed file is
 *  refused with a reason that says what is wrong.
 */
#include "gl_testutil.h"

#include "gl_cert.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

/*  A scratch directory, removed with what is in it.                        */
static char s_dir[256];

static int
s_setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/gl-test-cert-XXXXXX");
    return mkdtemp (s_dir) ? 0 : -1;
}

static void
s_remove (const char *name)
{
    char path[512];
    snprintf (path, sizeof path, "%s/%s", s_dir, name);
    unlink (path);
}

static int
s_teardown (void **state)
{
    (void) state;
    s_remove ("a.key");
    s_remove ("a.key_secret");
    rmdir (s_dir);
    return 0;
}

static char *
s_slurp (const char *path)
{
    FILE *f = fopen (path, "rb");
    assert_non_null (f);
    static char buf[4096];
    size_t n = fread (buf, 1, sizeof buf - 1, f);
    fclose (f);
    buf[n] = '\0';
    return buf;
}

/*  Parses text; returns the return code, the reason in err.                */
static int
s_parse (const char *text, gl_cert_t *cert, char *err, size_t err_len)
{
    err[0] = '\0';
    return gl_cert_parse (text, strlen (text), cert, err, err_len);
}

static void
test_save_load (void **state)
{
    (void) state;
    char err[512], base[300];
    gl_cert_t pair, pub, sec;
    assert_int_equal (gl_cert_generate (&pair, err, sizeof err), 0);
    assert_true (pair.has_secret);
    assert_int_equal (strlen (pair.public_z85), GL_CERT_Z85_LEN);
    snprintf (base, sizeof base, "%s/a", s_dir);
    assert_int_equal (gl_cert_save (&pair, base, false, "gidlint", err,
                                    sizeof err), 0);

    char path[512];
    snprintf (path, sizeof path, "%s.key", base);
    assert_int_equal (gl_cert_load (path, false, &pub, err, sizeof err), 0);
    assert_false (pub.has_secret);
    assert_string_equal (pub.public_z85, pair.public_z85);
    assert_memory_equal (pub.public_key, pair.public_key, GL_CERT_KEY_BYTES);
    assert_int_equal (gl_cert_load (path, true, &sec, err, sizeof err), -1);
    assert_non_null (strstr (err, "no secret-key"));
    /* The public file, line by line as zcert writes it. */
    const char *text = s_slurp (path);
    assert_true (strncmp (text, "#   ****  Generated on ", 23) == 0);
    assert_non_null (strstr (text, " by gidlint  ****\n"
                                   "#   ZeroMQ CURVE Public Certificate\n"));
    char tail[128];
    snprintf (tail, sizeof tail, "\n\nmetadata\ncurve\n    public-key = \"%s\"\n",
              pair.public_z85);
    assert_non_null (strstr (text, tail));
    assert_string_equal (strstr (text, tail), tail);
    assert_null (strstr (text, "secret"));

    snprintf (path, sizeof path, "%s.key_secret", base);
    struct stat st;
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
    assert_int_equal (gl_cert_load (path, true, &sec, err, sizeof err), 0);
    assert_true (sec.has_secret);
    assert_string_equal (sec.public_z85, pair.public_z85);
    assert_string_equal (sec.secret_z85, pair.secret_z85);
    assert_memory_equal (sec.secret_key, pair.secret_key, GL_CERT_KEY_BYTES);
    text = s_slurp (path);
    assert_non_null (strstr (text, "#   ZeroMQ CURVE **Secret** Certificate\n"));
    snprintf (tail, sizeof tail, "    secret-key = \"%s\"\n", pair.secret_z85);
    assert_string_equal (strstr (text, tail), tail);

    gl_cert_wipe (&sec);
    assert_false (sec.has_secret);
    assert_string_equal (sec.secret_z85, "");
    static const uint8_t zero[GL_CERT_KEY_BYTES];
    assert_memory_equal (sec.secret_key, zero, GL_CERT_KEY_BYTES);
}

static void
test_no_clobber (void **state)
{
    (void) state;
    char err[512], base[300], path[512];
    gl_cert_t first, second, back;
    snprintf (base, sizeof base, "%s/a", s_dir);
    snprintf (path, sizeof path, "%s.key_secret", base);
    assert_int_equal (gl_cert_generate (&first, err, sizeof err), 0);
    assert_int_equal (gl_cert_generate (&second, err, sizeof err), 0);
    assert_string_not_equal (first.public_z85, second.public_z85);
    s_remove ("a.key");
    s_remove ("a.key_secret");
    assert_int_equal (gl_cert_save (&first, base, false, "gidlint", err,
                                    sizeof err), 0);
    /* Without force, neither file is touched. */
    assert_int_equal (gl_cert_save (&second, base, false, "gidlint", err,
                                    sizeof err), -1);
    assert_non_null (strstr (err, "exists (--force replaces it)"));
    assert_int_equal (gl_cert_load (path, true, &back, err, sizeof err), 0);
    assert_string_equal (back.public_z85, first.public_z85);
    /* With force, both are replaced; the secret one is 0600 again even if
     * someone had opened it up. */
    assert_int_equal (chmod (path, 0644), 0);
    assert_int_equal (gl_cert_save (&second, base, true, "gidlint", err,
                                    sizeof err), 0);
    assert_int_equal (gl_cert_load (path, true, &back, err, sizeof err), 0);
    assert_string_equal (back.secret_z85, second.secret_z85);
    struct stat st;
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
    snprintf (path, sizeof path, "%s.key", base);
    assert_int_equal (gl_cert_load (path, false, &back, err, sizeof err), 0);
    assert_string_equal (back.public_z85, second.public_z85);
    /* No temporary file is left behind. */
    snprintf (path, sizeof path, "%s/a.key.tmp%ld", s_dir, (long) getpid ());
    assert_int_not_equal (access (path, F_OK), 0);
}

/*  Certificates as other ZeroMQ tools write them.                          */
static void
test_foreign (void **state)
{
    (void) state;
    char err[512], text[1024];
    gl_cert_t pair, c;
    assert_int_equal (gl_cert_generate (&pair, err, sizeof err), 0);
    /* czmq, with metadata and a comment after a value. */
    snprintf (text, sizeof text,
              "#   ****  Generated on 2015-02-16 01:31:00 by CZMQ  ****\n"
              "#   ZeroMQ CURVE **Secret** Certificate\n"
              "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its "
              "permissions.\n\n"
              "metadata\n"
              "    email = \"foo@bar.org\"\n"
              "    phone = +1-603-555-1212   # a raw value\n"
              "curve\n"
              "    public-key = \"%s\"\n"
              "    secret-key = \"%s\"\n",
              pair.public_z85, pair.secret_z85);
    assert_int_equal (s_parse (text, &c, err, sizeof err), 0);
    assert_true (c.has_secret);
    assert_string_equal (c.public_z85, pair.public_z85);
    /* CR LF, single quotes, no trailing newline, a BOM.  (Not a raw value:
     * Z85 has '#', which ends one.) */
    snprintf (text, sizeof text,
              "\xef\xbb\xbf# pyzmq\r\n\r\nmetadata\r\ncurve\r\n"
              "    public-key = '%s'\r\n    secret-key = \"%s\"",
              pair.public_z85, pair.secret_z85);
    assert_int_equal (s_parse (text, &c, err, sizeof err), 0);
    assert_string_equal (c.secret_z85, pair.secret_z85);
    /* public-key elsewhere than under curve does not count. */
    snprintf (text, sizeof text, "metadata\n    public-key = \"%s\"\ncurve\n",
              pair.public_z85);
    assert_int_equal (s_parse (text, &c, err, sizeof err), -1);
    assert_non_null (strstr (err, "no curve/public-key"));
}

static void
test_malformed (void **state)
{
    (void) state;
    char err[512], text[1024];
    gl_cert_t a, b, c;
    assert_int_equal (gl_cert_generate (&a, err, sizeof err), 0);
    assert_int_equal (gl_cert_generate (&b, err, sizeof err), 0);
    char bad[GL_CERT_Z85_LEN + 1];
    snprintf (bad, sizeof bad, "%s", a.public_z85);
    bad[7] = ',';               /* not in the Z85 alphabet                   */
    static const struct {
        const char *fmt;        /* %s: a's public key (once at most)         */
        const char *why;
    } cases[] = {
        { "", "no curve/public-key" },
        { "# only a comment\n", "no curve/public-key" },
        { "curve\n    public-key = \"abc\"\n", "line 2: public-key is 3 "
                                               "characters long" },
        { "curve\n    public-key = \"%s\n", "line 2: unterminated quoted" },
        { "curve\n    public-key\n", "line 2: public-key has no value" },
        { "curve\n\tpublic-key = \"%s\"\n", "line 2: a tab" },
        { "curve\n   public-key = \"%s\"\n", "not a multiple of four" },
        { "curve\n        public-key = \"%s\"\n", "deeper than the property" },
        { "curve\n    public-key = \"%s\" extra\n", "unexpected text" },
        { "curve\n    = \"%s\"\n", "expected a property name" },
        { "curve\n    public-key = \"%s\"\n    public-key = \"%s\"\n",
          "line 3: a second public-key" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf (text, sizeof text, cases[i].fmt, a.public_z85, a.public_z85);
        assert_int_equal (s_parse (text, &c, err, sizeof err), -1);
        if (!strstr (err, cases[i].why))
            fail_msg ("case %zu: '%s' does not say '%s'", i, err, cases[i].why);
    }
    snprintf (text, sizeof text, "curve\n    public-key = \"%s\"\n", bad);
    assert_int_equal (s_parse (text, &c, err, sizeof err), -1);
    assert_non_null (strstr (err, "line 2: public-key is not valid Z85"));
    /* A secret key that is not the public key's. */
    snprintf (text, sizeof text,
              "curve\n    public-key = \"%s\"\n    secret-key = \"%s\"\n",
              a.public_z85, b.secret_z85);
    assert_int_equal (s_parse (text, &c, err, sizeof err), -1);
    assert_non_null (strstr (err, "does not belong to the public-key"));
    assert_string_equal (c.secret_z85, "");
    /* A NUL byte. */
    assert_int_equal (gl_cert_parse ("curve\0\n", 7, &c, err, sizeof err), -1);
    assert_non_null (strstr (err, "NUL"));
    /* A file that is not there names itself. */
    assert_int_equal (gl_cert_load ("/nonexistent/x.key", false, &c, err,
                                    sizeof err), -1);
    assert_string_equal (err, "/nonexistent/x.key: No such file or directory");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_save_load),
        cmocka_unit_test (test_no_clobber),
        cmocka_unit_test (test_foreign),
        cmocka_unit_test (test_malformed),
    };
    return cmocka_run_group_tests_name ("cert", tests, s_setup, s_teardown);
}
