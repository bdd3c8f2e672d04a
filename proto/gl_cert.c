/*  gl_cert.c: reading and writing ZeroMQ certificate files.  See gl_cert.h.
 *
 *  The reader follows ZPL (RFC 4) as far as a certificate needs: one
 *  property per line, `name` or `name = value`, nesting by indentation of
 *  four spaces per level, `#` comments, values raw (up to white space or
 *  `#`) or quoted with " or '.  It looks for curve/public-key and
 *  curve/secret-key and ignores the rest (metadata and whatever a newer
 *  zcert adds), but a line it cannot read is an error rather than
 *  something skipped: a key file that does not say what it seems to is
 *  better refused at start than half understood.
 */
#define _DEFAULT_SOURCE         /* explicit_bzero */
#include "gl_cert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define S_MAX_DEPTH 8           /* ZPL nesting we follow                     */
#define S_MAX_NAME 64

static int
s_err (char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (err, err_len, fmt, ap);
    va_end (ap);
    return -1;
}

/*  ZPL names: alphanumerics and $ - _ @ . & + /                            */
static bool
s_name_char (char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || strchr ("$-_@.&+/", c) != NULL;
}

/*  Decodes a Z85 key into key[32] and copies the text into z85.  zmq_z85_
 *  decode() checks every character; it wants a NUL-terminated string.      */
static int
s_key (const char *value, size_t len, uint8_t *key, char *z85, int line,
       const char *what, char *err, size_t err_len)
{
    if (len != GL_CERT_Z85_LEN)
        return s_err (err, err_len, "line %d: %s is %zu characters long, a "
                      "Z85 key is %d", line, what, len, GL_CERT_Z85_LEN);
    memcpy (z85, value, len);
    z85[len] = '\0';
    if (!zmq_z85_decode (key, z85))
        return s_err (err, err_len, "line %d: %s is not valid Z85", line,
                      what);
    return 0;
}

static int
s_parse (const char *text, size_t len, gl_cert_t *cert, char *err,
         size_t err_len)
{
    char path[S_MAX_DEPTH][S_MAX_NAME + 1];
    int depth = 0;              /* properties open above the next line       */
    bool have_public = false;
    if (memchr (text, '\0', len))
        return s_err (err, err_len, "a NUL byte in the file");
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
        p += 3;                 /* a UTF-8 byte order mark                   */
    for (int line = 1; p < end; line++) {
        const char *eol = memchr (p, '\n', (size_t) (end - p));
        const char *next = eol ? eol + 1 : end;
        if (!eol)
            eol = end;
        if (eol > p && eol[-1] == '\r')
            eol--;
        const char *q = p;
        p = next;
        size_t indent = 0;
        while (q < eol && *q == ' ')
            q++, indent++;
        if (q == eol || *q == '#')
            continue;
        if (*q == '\t')
            return s_err (err, err_len, "line %d: a tab in the indentation "
                          "(ZPL indents by four spaces)", line);
        if (indent % 4 != 0)
            return s_err (err, err_len, "line %d: indented by %zu spaces, "
                          "not a multiple of four", line, indent);
        int level = (int) (indent / 4);
        if (level > depth || level >= S_MAX_DEPTH)
            return s_err (err, err_len, "line %d: indented deeper than the "
                          "property above", line);
        const char *name = q;
        while (q < eol && s_name_char (*q))
            q++;
        size_t name_len = (size_t) (q - name);
        if (name_len == 0 || name_len > S_MAX_NAME)
            return s_err (err, err_len, "line %d: expected a property name",
                          line);
        memcpy (path[level], name, name_len);
        path[level][name_len] = '\0';
        depth = level + 1;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        const char *value = NULL;
        size_t value_len = 0;
        if (q < eol && *q == '=') {
            q++;
            while (q < eol && (*q == ' ' || *q == '\t'))
                q++;
            if (q < eol && (*q == '"' || *q == '\'')) {
                char quote = *q++;
                value = q;
                while (q < eol && *q != quote)
                    q++;
                if (q == eol)
                    return s_err (err, err_len, "line %d: unterminated "
                                  "quoted value", line);
                value_len = (size_t) (q - value);
                q++;
            }
            else {
                value = q;
                while (q < eol && *q != ' ' && *q != '\t' && *q != '#')
                    q++;
                value_len = (size_t) (q - value);
            }
            while (q < eol && (*q == ' ' || *q == '\t'))
                q++;
        }
        if (q < eol && *q != '#')
            return s_err (err, err_len, "line %d: unexpected text after the "
                          "property", line);
        if (level != 1 || strcmp (path[0], "curve") != 0)
            continue;
        bool is_public = strcmp (path[1], "public-key") == 0;
        bool is_secret = strcmp (path[1], "secret-key") == 0;
        if (!is_public && !is_secret)
            continue;
        if (!value)
            return s_err (err, err_len, "line %d: %s has no value", line,
                          path[1]);
        if (is_public ? have_public : cert->has_secret)
            return s_err (err, err_len, "line %d: a second %s", line,
                          path[1]);
        if (is_public) {
            if (s_key (value, value_len, cert->public_key, cert->public_z85,
                       line, "public-key", err, err_len) < 0)
                return -1;
            have_public = true;
        }
        else {
            if (s_key (value, value_len, cert->secret_key, cert->secret_z85,
                       line, "secret-key", err, err_len) < 0)
                return -1;
            cert->has_secret = true;
        }
    }
    if (!have_public)
        return s_err (err, err_len, "no curve/public-key (not a ZeroMQ "
                      "certificate)");
    if (cert->has_secret) {
        char derived[GL_CERT_Z85_LEN + 1];
        if (zmq_curve_public (derived, cert->secret_z85) != 0)
            return s_err (err, err_len, "cannot check the secret-key: %s",
                          zmq_strerror (zmq_errno ()));
        if (strcmp (derived, cert->public_z85) != 0)
            return s_err (err, err_len, "the secret-key does not belong to "
                          "the public-key");
    }
    return 0;
}

int
gl_cert_parse (const char *text, size_t len, gl_cert_t *cert, char *err,
               size_t err_len)
{
    memset (cert, 0, sizeof *cert);
    if (s_parse (text, len, cert, err, err_len) == 0)
        return 0;
    /* Nothing half read is left, the secret key least of all. */
    explicit_bzero (cert, sizeof *cert);
    return -1;
}

int
gl_cert_load (const char *path, bool need_secret, gl_cert_t *cert, char *err,
              size_t err_len)
{
    memset (cert, 0, sizeof *cert);
    FILE *f = fopen (path, "rb");
    if (!f)
        return s_err (err, err_len, "%s: %s", path, strerror (errno));
    char *buf = malloc (GL_CERT_MAX_FILE + 1);
    if (!buf) {
        fclose (f);
        return s_err (err, err_len, "%s: out of memory", path);
    }
    size_t len = fread (buf, 1, GL_CERT_MAX_FILE + 1, f);
    bool failed = ferror (f) != 0;
    fclose (f);
    int rc = -1;
    char why[256];
    if (failed)
        s_err (err, err_len, "%s: cannot read", path);
    else if (len > GL_CERT_MAX_FILE)
        s_err (err, err_len, "%s: larger than %d bytes, not a certificate",
               path, GL_CERT_MAX_FILE);
    else if (gl_cert_parse (buf, len, cert, why, sizeof why) < 0)
        s_err (err, err_len, "%s: %s", path, why);
    else if (need_secret && !cert->has_secret)
        s_err (err, err_len, "%s: no secret-key (a public certificate; the "
               "secret one is NAME.key_secret)", path);
    else
        rc = 0;
    explicit_bzero (buf, len);
    free (buf);
    return rc;
}

int
gl_cert_generate (gl_cert_t *cert, char *err, size_t err_len)
{
    memset (cert, 0, sizeof *cert);
    if (zmq_curve_keypair (cert->public_z85, cert->secret_z85) != 0)
        return s_err (err, err_len, "cannot make a key pair: %s",
                      zmq_strerror (zmq_errno ()));
    zmq_z85_decode (cert->public_key, cert->public_z85);
    zmq_z85_decode (cert->secret_key, cert->secret_z85);
    cert->has_secret = true;
    return 0;
}

void
gl_cert_wipe (gl_cert_t *cert)
{
    explicit_bzero (cert->secret_key, sizeof cert->secret_key);
    explicit_bzero (cert->secret_z85, sizeof cert->secret_z85);
    cert->has_secret = false;
}

/*  Writes text to path as a whole: into a new temporary file beside it
 *  (created with mode, less the umask), then moved to path; without force
 *  link() puts it there, which fails if path exists.                       */
static int
s_write_file (const char *path, const char *text, size_t len, mode_t mode,
              bool force, char *err, size_t err_len)
{
    char tmp[4096];
    if ((size_t) snprintf (tmp, sizeof tmp, "%s.tmp%ld", path,
                           (long) getpid ()) >= sizeof tmp)
        return s_err (err, err_len, "%s: name too long", path);
    int fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0)
        return s_err (err, err_len, "%s: %s", path, strerror (errno));
    errno = 0;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write (fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t) n;
    }
    int why = 0;
    if (done < len || fsync (fd) != 0)
        why = errno ? errno : EIO;
    if (close (fd) != 0 && !why)
        why = errno;
    if (!why && (force ? rename (tmp, path) : link (tmp, path)) != 0)
        why = errno;
    if (why || !force)
        unlink (tmp);
    if (why)
        return s_err (err, err_len, "%s: %s", path,
                      why == EEXIST ? "exists (--force replaces it)"
                                    : strerror (why));
    return 0;
}

int
gl_cert_save (const gl_cert_t *cert, const char *base, bool force,
              const char *generator, char *err, size_t err_len)
{
    if (!cert->has_secret)
        return s_err (err, err_len, "no secret key to save");
    char pub_path[4096], sec_path[4096];
    if ((size_t) snprintf (pub_path, sizeof pub_path, "%s.key", base)
            >= sizeof pub_path
        || (size_t) snprintf (sec_path, sizeof sec_path, "%s.key_secret", base)
            >= sizeof sec_path)
        return s_err (err, err_len, "%s: name too long", base);
    struct stat st;
    if (!force) {
        if (lstat (pub_path, &st) == 0)
            return s_err (err, err_len, "%s: exists (--force replaces it)",
                          pub_path);
        if (lstat (sec_path, &st) == 0)
            return s_err (err, err_len, "%s: exists (--force replaces it)",
                          sec_path);
    }
    time_t now = time (NULL);
    struct tm tm;
    localtime_r (&now, &tm);
    char when[32];
    strftime (when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);

    char text[1024];
    int n = snprintf (text, sizeof text,
                      "#   ****  Generated on %s by %s  ****\n"
                      "#   ZeroMQ CURVE **Secret** Certificate\n"
                      "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change "
                      "its permissions.\n"
                      "\n"
                      "metadata\n"
                      "curve\n"
                      "    public-key = \"%s\"\n"
                      "    secret-key = \"%s\"\n",
                      when, generator, cert->public_z85, cert->secret_z85);
    int rc = n > 0 && (size_t) n < sizeof text
                 ? s_write_file (sec_path, text, (size_t) n, 0600, force, err,
                                 err_len)
                 : s_err (err, err_len, "generator name too long");
    explicit_bzero (text, sizeof text);
    if (rc < 0)
        return -1;
    n = snprintf (text, sizeof text,
                  "#   ****  Generated on %s by %s  ****\n"
                  "#   ZeroMQ CURVE Public Certificate\n"
                  "#   Exchange securely, or use a secure mechanism to verify "
                  "the contents\n"
                  "#   of this file after exchange. Store public certificates "
                  "in your home\n"
                  "#   directory, in the .curve subdirectory.\n"
                  "\n"
                  "metadata\n"
                  "curve\n"
                  "    public-key = \"%s\"\n",
                  when, generator, cert->public_z85);
    return s_write_file (pub_path, text, (size_t) n, 0644, force, err,
                         err_len);
}
