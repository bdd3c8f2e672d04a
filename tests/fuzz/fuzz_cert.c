/*  fuzz_cert.c: the certificate reader (proto/gl_cert.c) under libFuzzer.
 *
 *  A certificate comes from a file an operator put in a directory, so it
 *  is not hostile the way a wire message can be; but one bad file must not
 *  take the daemon down.  Every input must give:
 *   (1) 0 or -1, and on -1 a reason that is non-empty and NUL-terminated
 *       inside its buffer, with no secret left in the certificate;
 *   (2) on 0, a public key that is 40 characters of Z85 decoding to the
 *       32 bytes returned; with a secret key, the same for it, and the
 *       public key derived from the secret one equal to the public key.
 *
 *  Like fuzz_wire.c: a libFuzzer target with -fsanitize=fuzzer, a replay
 *  of cert_corpus/ (CTest fuzz_cert_replay) with replay_main.c.
 */
#include "gl_cert.h"

#include "gl_fuzz.h"

#include <string.h>
#include <zmq.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    gl_cert_t c;
    char err[128];
    memset (err, 'x', sizeof err);
    int rc = gl_cert_parse ((const char *) data, size, &c, err, sizeof err);
    S_CHECK (rc == 0 || rc == -1);
    static const gl_cert_t zero;
    if (rc < 0) {
        S_CHECK (memchr (err, '\0', sizeof err) != NULL && err[0] != '\0');
        S_CHECK (!c.has_secret);
        S_CHECK (memcmp (c.secret_key, zero.secret_key, sizeof c.secret_key) == 0);
        S_CHECK (memcmp (c.secret_z85, zero.secret_z85, sizeof c.secret_z85) == 0);
        return 0;
    }
    uint8_t key[GL_CERT_KEY_BYTES];
    S_CHECK (strlen (c.public_z85) == GL_CERT_Z85_LEN);
    S_CHECK (zmq_z85_decode (key, c.public_z85) != NULL);
    S_CHECK (memcmp (key, c.public_key, sizeof key) == 0);
    if (c.has_secret) {
        S_CHECK (strlen (c.secret_z85) == GL_CERT_Z85_LEN);
        S_CHECK (zmq_z85_decode (key, c.secret_z85) != NULL);
        S_CHECK (memcmp (key, c.secret_key, sizeof key) == 0);
        char derived[GL_CERT_Z85_LEN + 1];
        S_CHECK (zmq_curve_public (derived, c.secret_z85) == 0);
        S_CHECK (strcmp (derived, c.public_z85) == 0);
    }
    else
        S_CHECK (c.secret_z85[0] == '\0');
    gl_cert_wipe (&c);
    return 0;
}
