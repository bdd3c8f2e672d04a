/*  gl_cert.h: CURVE key pairs in ZeroMQ certificate files.
 *
 *  gidlintd and gidlint authenticate each other with CURVE (RFC 26) when
 *  the daemon is configured so; their long-term keys live in the text
 *  certificate files that czmq's zcert and pyzmq's zmq.auth write and read,
 *  in the ZeroMQ Property Language (ZPL, RFC 4):
 *
 *      #   ****  Generated on 2026-11-23 13:00:00 by gidlint  ****
 *      #   ZeroMQ CURVE Public Certificate
 *      ...
 *
 *      metadata
 *      curve
 *          public-key = "<40 characters of Z85>"
 *          secret-key = "<40 characters of Z85>"      (the secret file only)
 *
 *  A pair is two files: NAME.key with the public key, to hand to the other
 *  side, and NAME.key_secret with both keys, mode 0600, that never leaves
 *  its owner.  This is the one reader and writer of that format: the daemon
 *  reads its own secret certificate and the directory of allowed client
 *  certificates with it, the client its own and the daemon's, and
 *  `gidlint keygen` writes pairs with it.  It links libzmq for Z85 and
 *  for the key arithmetic (zmq_z85_decode, zmq_curve_public,
 *  zmq_curve_keypair); the rest of proto/ does not.
 */
#ifndef GL_CERT_H_INCLUDED
#define GL_CERT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_CERT_KEY_BYTES 32    /* a CURVE key                               */
#define GL_CERT_Z85_LEN 40      /* the same in Z85 text                      */
#define GL_CERT_MAX_FILE 65536  /* a certificate is a few hundred bytes      */

typedef struct {
    uint8_t public_key[GL_CERT_KEY_BYTES];
    uint8_t secret_key[GL_CERT_KEY_BYTES];      /* zero unless has_secret    */
    char public_z85[GL_CERT_Z85_LEN + 1];
    char secret_z85[GL_CERT_Z85_LEN + 1];       /* "" unless has_secret      */
    bool has_secret;
} gl_cert_t;

/*  Reads a certificate from text (len bytes, not NUL-terminated).  Checks
 *  the ZPL layout, that `curve` has a public-key, that each key is 40
 *  characters of valid Z85, and that a secret-key, when there is one,
 *  belongs to the public-key.  Returns 0, or -1 with the reason (and a
 *  line number) in err.                                                   */
int gl_cert_parse (const char *text, size_t len, gl_cert_t *cert, char *err,
                   size_t err_len);

/*  gl_cert_parse() of the file at path.  With need_secret, a file without a
 *  secret-key is an error.  The reason in err names the file.            */
int gl_cert_load (const char *path, bool need_secret, gl_cert_t *cert,
                  char *err, size_t err_len);

/*  A new random key pair (zmq_curve_keypair).  Returns 0, or -1 when this
 *  libzmq has no CURVE.                                                   */
int gl_cert_generate (gl_cert_t *cert, char *err, size_t err_len);

/*  Writes base.key (public, mode 0644 less the umask) and base.key_secret
 *  (public and secret, mode 0600), each as a whole (written under a
 *  temporary name, then moved in place).  Without force, an existing file
 *  of either name is an error and neither is written.  generator names
 *  the program in the header comment.  Returns 0, or -1 with err set.     */
int gl_cert_save (const gl_cert_t *cert, const char *base, bool force,
                  const char *generator, char *err, size_t err_len);

/*  Overwrites the secret key material in cert.                             */
void gl_cert_wipe (gl_cert_t *cert);

#endif
