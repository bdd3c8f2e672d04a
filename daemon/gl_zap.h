/*  gl_zap.h: gidlintd's CURVE security: the daemon's key and a ZAP handler.
 *
 *  With `[security] curve = on` every socket a client can reach (ingest,
 *  results, control) is a CURVE server (RFC 26): traffic is encrypted, the
 *  daemon proves itself with its secret key, and each client's long-term
 *  public key is checked by a ZAP handler (RFC 27) that admits only the
 *  keys of the public certificates in `allowed_keys_dir`.  A client whose
 *  key is not there, or one that speaks plain ZMTP, gets no connection:
 *  nothing it sends is read, nothing is sent to it.  See gl_zap.c.
 *
 *      gl_zap_start()      after zmq_ctx_new(), before any socket binds
 *      gl_zap_secure()     on each server socket, before zmq_bind()
 *      gl_zap_reload()     on SIGHUP
 *      gl_zap_stop()       after zmq_ctx_shutdown()
 */
#ifndef GL_ZAP_H_INCLUDED
#define GL_ZAP_H_INCLUDED

#include <stddef.h>

typedef struct gl_zap gl_zap_t;

/*  Reads the daemon's secret certificate and the allowed client keys, binds
 *  the ZAP handler in ctx and starts its thread.  Returns NULL with the
 *  reason in err when a file cannot be read or is not a certificate, or
 *  the handler cannot be bound: the daemon must then not start.           */
gl_zap_t *gl_zap_start (void *ctx, const char *secret_key_file,
                        const char *allowed_keys_dir, char *err,
                        size_t err_len);

/*  Makes sock, not yet bound, a CURVE server with the daemon's key, whose
 *  clients the handler checks; domain (the ZAP domain, ZMQ_ZAP_DOMAIN)
 *  names the socket in the log.  Returns 0, or -1 (zmq_errno() says why). */
int gl_zap_secure (gl_zap_t *zap, void *sock, const char *domain);

/*  Reads the public certificate of the broker this daemon connects to
 *  (gidlint-broker's NAME.key), for gl_zap_client().  Returns 0, or -1
 *  with the reason in err.                                                 */
int gl_zap_broker_key (gl_zap_t *zap, const char *public_key_file, char *err,
                       size_t err_len);

/*  Makes sock, not yet connected, a CURVE client of the broker: it proves
 *  itself with the daemon's key pair and checks the broker's key.  Returns
 *  0, or -1 with errno EINVAL when no broker key was read.                 */
int gl_zap_client (gl_zap_t *zap, void *sock);

/*  Reads dir again and admits exactly its keys from now on (connections
 *  already made stay).  On failure the allowed keys stay as they were.
 *  Logs what it did.  Returns 0 or -1.                                    */
int gl_zap_reload (gl_zap_t *zap, const char *dir);

/*  Joins the handler's thread and frees zap.  The context must have been
 *  shut down (zmq_ctx_shutdown), which is what ends the thread.           */
void gl_zap_stop (gl_zap_t **zap);

#endif
