/*  gl_zap.c: the daemon's key pair and its ZAP handler.  See gl_zap.h.
 *
 *  libzmq asks a ZAP handler (RFC 27) about every CURVE client once the
 *  handshake has proved that the client holds the secret key of the public
 *  key it presents: it sends a request to whatever REP or ROUTER socket is
 *  bound to inproc://zeromq.zap.01 in the same context, and completes the
 *  connection only on status 200.  The request is the frames version
 *  ("1.0"), request id, domain (the server socket's ZMQ_ZAP_DOMAIN),
 *  address (the client's IP), identity, mechanism ("CURVE") and the
 *  credentials (the client's 32-byte public key); the reply is version,
 *  request id, status code (200, 300, 400 or 500), status text, user id and
 *  metadata.  Here: 200 when the key is one of the allowed certificates'
 *  (the user id is the certificate's name, NAME of NAME.key), 400
 *  otherwise, and every refusal is logged at WARN with the client's
 *  address and key in Z85 so that an operator can add the key if it was
 *  meant to get in.
 *
 *  Fail closed.  libzmq 4.3 lets a CURVE client in without asking anyone
 *  when no handler is bound, unless the socket has a ZAP domain and
 *  ZMQ_ZAP_ENFORCE_DOMAIN.  That option is a draft: zmq.h declares it only
 *  for draft builds, though libzmq 4.3.4 as Debian builds it takes it.  So
 *  gl_zap_secure() sets it (by number where the header hides it) but
 *  nothing depends on it: the handler is bound by gl_zap_start(), before
 *  any server socket binds, and stays bound until the context is shut
 *  down, after the server sockets are closed, so there is no moment when a
 *  server socket accepts and nobody answers for it.  A plain (NULL
 *  mechanism) client never reaches the handler: a CURVE server drops it at
 *  the greeting, the mechanisms differ.
 *
 *  Its own thread, not the libev loop.  The loop stops reading its sockets
 *  when max_in_flight documents are taken and reads them in batches; a
 *  handshake must not wait for that, nor for a burst of results to be
 *  published, and the handler's answer does not depend on anything the
 *  loop owns.  A thread blocked in zmq_msg_recv() on its REP socket is the
 *  whole of it, it ends by itself when the context is shut down (ETERM),
 *  and gl_server.c only starts it, reloads it and joins it.  The one thing
 *  shared with the main thread is the set of allowed keys, which SIGHUP
 *  replaces (read in the main thread, swapped under a mutex).
 */
#include "gl_zap.h"
#include "gl_cert.h"
#include "gl_settings.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"     /* fixed by RFC 27       */
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93       /* zmq.h, draft options              */
#endif
#define S_FRAMES 8              /* a CURVE request has 7                     */
#define S_NAME_MAX 64

typedef struct {
    uint8_t key[GL_CERT_KEY_BYTES];
    char name[S_NAME_MAX];      /* NAME of NAME.key                          */
} s_allowed_t;

struct gl_zap {
    void *sock;                 /* REP on S_ZAP_ENDPOINT; the thread's       */
    pthread_t thread;
    bool running;
    gl_cert_t cert;             /* the daemon's key pair                     */
    gl_cert_t broker;           /* the broker's public key, when connecting  */
    bool has_broker;
    pthread_mutex_t lock;       /* guards what follows                       */
    s_allowed_t *allowed;       /* sorted by key                             */
    size_t n_allowed;
    char dir[512];
};

static int
s_cmp_key (const void *a, const void *b)
{
    return memcmp (((const s_allowed_t *) a)->key,
                   ((const s_allowed_t *) b)->key, GL_CERT_KEY_BYTES);
}

static bool
s_ends_with (const char *s, const char *suffix)
{
    size_t n = strlen (s), m = strlen (suffix);
    return n > m && strcmp (s + n - m, suffix) == 0;
}

/*  The public keys of dir's *.key files (czmq's and pyzmq's convention for
 *  a directory of public certificates; NAME.key_secret and anything else
 *  is not looked at).  A *.key file that is not a certificate is skipped
 *  with a warning: one bad file must not lock every client out.  Fails
 *  only when dir cannot be read.                                           */
static int
s_load_dir (const char *dir, s_allowed_t **out, size_t *n_out, char *err,
            size_t err_len)
{
    *out = NULL;
    *n_out = 0;
    DIR *d = opendir (dir);
    if (!d)
        return gl_errf (err, err_len, "%s: %s", dir, strerror (errno));
    s_allowed_t *items = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir (d)) != NULL) {
        if (e->d_name[0] == '.' || !s_ends_with (e->d_name, ".key"))
            continue;
        char path[1024];
        if ((size_t) snprintf (path, sizeof path, "%s/%s", dir, e->d_name)
            >= sizeof path)
            continue;
        struct stat st;
        if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
            continue;
        gl_cert_t cert;
        char why[512];
        if (gl_cert_load (path, false, &cert, why, sizeof why) < 0) {
            gl_log (GL_LOG_WARN, "allowed keys: skipping %s", why);
            continue;
        }
        if (cert.has_secret)
            gl_log (GL_LOG_WARN, "allowed keys: %s holds a secret key; only "
                    "its public key is used (keep secret keys elsewhere)",
                    path);
        gl_cert_wipe (&cert);
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            s_allowed_t *grown = realloc (items, ncap * sizeof *items);
            if (!grown) {
                rc = gl_errf (err, err_len, "%s: out of memory", dir);
                break;
            }
            items = grown;
            cap = ncap;
        }
        memcpy (items[n].key, cert.public_key, GL_CERT_KEY_BYTES);
        snprintf (items[n].name, sizeof items[n].name, "%.*s",
                  (int) (strlen (e->d_name) - 4), e->d_name);
        n++;
    }
    closedir (d);
    if (rc < 0) {
        free (items);
        return -1;
    }
    if (n)
        qsort (items, n, sizeof *items, s_cmp_key);
    *out = items;
    *n_out = n;
    return 0;
}

/*  ---------------------------------------------------------------------
 *  The handler's thread.                                                   */

/*  A frame as printable text for the log: at most size - 1 bytes, anything
 *  outside printable ASCII as '?'.                                         */
static void
s_frame_text (zmq_msg_t *m, char *buf, size_t size)
{
    const unsigned char *p = zmq_msg_data (m);
    size_t n = zmq_msg_size (m) < size - 1 ? zmq_msg_size (m) : size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char) p[i] : '?';
    buf[n] = '\0';
}

static bool
s_frame_is (zmq_msg_t *m, const char *s)
{
    return zmq_msg_size (m) == strlen (s)
           && memcmp (zmq_msg_data (m), s, zmq_msg_size (m)) == 0;
}

/*  Sends the six frames of a reply; id is the request's id frame (NULL:
 *  none could be read).                                                    */
static void
s_reply (gl_zap_t *z, zmq_msg_t *id, const char *code, const char *text,
         const char *user)
{
    zmq_send (z->sock, "1.0", 3, ZMQ_SNDMORE);
    zmq_msg_t copy;
    zmq_msg_init (&copy);
    if (id)
        zmq_msg_copy (&copy, id);
    if (zmq_msg_send (&copy, z->sock, ZMQ_SNDMORE) < 0)
        zmq_msg_close (&copy);
    zmq_send (z->sock, code, strlen (code), ZMQ_SNDMORE);
    zmq_send (z->sock, text, strlen (text), ZMQ_SNDMORE);
    zmq_send (z->sock, user, strlen (user), ZMQ_SNDMORE);
    zmq_send (z->sock, "", 0, 0);           /* metadata: none             */
}

/*  Answers one request of total frames, the first n of them in f.          */
static void
s_answer (gl_zap_t *z, zmq_msg_t *f, size_t n, size_t total)
{
    if (n < 6 || !s_frame_is (&f[0], "1.0")) {
        gl_log (GL_LOG_WARN, "ZAP: a malformed request of %zu frames "
                "refused", total);
        s_reply (z, n >= 2 ? &f[1] : NULL, "500", "bad ZAP request", "");
        return;
    }
    char domain[256], address[64], mechanism[16];
    s_frame_text (&f[2], domain, sizeof domain);
    s_frame_text (&f[3], address, sizeof address);
    s_frame_text (&f[5], mechanism, sizeof mechanism);
    if (strcmp (mechanism, "CURVE") != 0 || total != 7
        || zmq_msg_size (&f[6]) != GL_CERT_KEY_BYTES) {
        gl_log (GL_LOG_WARN, "refused a %s client at %s on %s: only CURVE "
                "clients are let in", mechanism, address, domain);
        s_reply (z, &f[1], "400", "CURVE only", "");
        return;
    }
    s_allowed_t probe;
    memcpy (probe.key, zmq_msg_data (&f[6]), GL_CERT_KEY_BYTES);
    char name[S_NAME_MAX] = "", dir[sizeof z->dir];
    pthread_mutex_lock (&z->lock);
    const s_allowed_t *hit = z->n_allowed
        ? bsearch (&probe, z->allowed, z->n_allowed, sizeof probe, s_cmp_key)
        : NULL;
    bool admitted = hit != NULL;
    if (hit)
        memcpy (name, hit->name, sizeof name);
    memcpy (dir, z->dir, sizeof dir);
    pthread_mutex_unlock (&z->lock);
    if (admitted) {
        gl_log (GL_LOG_DEBUG, "admitted '%s' at %s on %s", name, address,
                domain);
        s_reply (z, &f[1], "200", "OK", name);
        return;
    }
    char z85[GL_CERT_Z85_LEN + 1];
    zmq_z85_encode (z85, probe.key, GL_CERT_KEY_BYTES);
    gl_log (GL_LOG_WARN, "refused a client at %s on %s: key \"%s\" is not "
            "in allowed_keys_dir %s", address, domain, z85, dir);
    s_reply (z, &f[1], "400", "key not allowed", "");
}

static void *
s_main (void *arg)
{
    gl_zap_t *z = arg;
    for (;;) {
        zmq_msg_t f[S_FRAMES];
        size_t n = 0, total = 0;
        bool more = true, term = false;
        while (more) {
            zmq_msg_t m;
            zmq_msg_init (&m);
            if (zmq_msg_recv (&m, z->sock, 0) < 0) {
                zmq_msg_close (&m);
                if (zmq_errno () == EINTR)
                    continue;
                term = true;        /* ETERM: the context is shutting down */
                break;
            }
            more = zmq_msg_more (&m);
            total++;
            if (n < S_FRAMES) {
                zmq_msg_init (&f[n]);
                zmq_msg_move (&f[n++], &m);
            }
            zmq_msg_close (&m);
        }
        if (!term)
            s_answer (z, f, n, total);
        for (size_t i = 0; i < n; i++)
            zmq_msg_close (&f[i]);
        if (term)
            break;
    }
    zmq_close (z->sock);
    z->sock = NULL;
    return NULL;
}

/*  ---------------------------------------------------------------------
 *  The main thread's side.                                                 */

static void
s_free (gl_zap_t *z)
{
    gl_cert_wipe (&z->cert);
    free (z->allowed);
    pthread_mutex_destroy (&z->lock);
    free (z);
}

gl_zap_t *
gl_zap_start (void *ctx, const char *secret_key_file,
              const char *allowed_keys_dir, char *err, size_t err_len)
{
    gl_zap_t *z = calloc (1, sizeof *z);
    if (!z) {
        gl_errf (err, err_len, "out of memory");
        return NULL;
    }
    pthread_mutex_init (&z->lock, NULL);
    snprintf (z->dir, sizeof z->dir, "%s", allowed_keys_dir);
    char why[1024];
    if (gl_cert_load (secret_key_file, true, &z->cert, why, sizeof why) < 0) {
        gl_errf (err, err_len, "security.secret_key_file: %s", why);
        s_free (z);
        return NULL;
    }
    struct stat st;
    if (stat (secret_key_file, &st) == 0 && (st.st_mode & 077))
        gl_log (GL_LOG_WARN, "%s can be read by other users (mode %03o); "
                "chmod 600 it", secret_key_file, st.st_mode & 0777);
    /* None: a daemon behind a broker serves no client itself. */
    if (allowed_keys_dir[0]
        && s_load_dir (allowed_keys_dir, &z->allowed, &z->n_allowed, why,
                       sizeof why) < 0) {
        gl_errf (err, err_len, "security.allowed_keys_dir: %s", why);
        s_free (z);
        return NULL;
    }
    z->sock = zmq_socket (ctx, ZMQ_REP);
    int linger = 0;
    if (!z->sock
        || zmq_setsockopt (z->sock, ZMQ_LINGER, &linger, sizeof linger) != 0
        || zmq_bind (z->sock, S_ZAP_ENDPOINT) != 0) {
        gl_errf (err, err_len, "cannot bind the ZAP handler on %s: %s",
               S_ZAP_ENDPOINT, zmq_strerror (zmq_errno ()));
        if (z->sock)
            zmq_close (z->sock);
        s_free (z);
        return NULL;
    }
    /* Signals are the loop's (ev_signal watchers), as for the workers. */
    sigset_t all, old;
    sigfillset (&all);
    pthread_sigmask (SIG_SETMASK, &all, &old);
    int rc = pthread_create (&z->thread, NULL, s_main, z);
    pthread_sigmask (SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        gl_errf (err, err_len, "cannot start the ZAP handler: %s", strerror (rc));
        zmq_close (z->sock);
        s_free (z);
        return NULL;
    }
    z->running = true;
    if (!z->dir[0]) {
        gl_log (GL_LOG_INFO, "CURVE on: public key \"%s\", no client keys "
                "(no allowed_keys_dir)", z->cert.public_z85);
        return z;
    }
    gl_log (GL_LOG_INFO, "CURVE on: server public key \"%s\", %zu client "
            "key%s allowed from %s", z->cert.public_z85, z->n_allowed,
            z->n_allowed == 1 ? "" : "s", z->dir);
    if (z->n_allowed == 0)
        gl_log (GL_LOG_WARN, "no client key in %s: every client is refused "
                "until NAME.key files are put there and SIGHUP sent", z->dir);
    return z;
}

int
gl_zap_secure (gl_zap_t *z, void *sock, const char *domain)
{
    int one = 1;
    size_t dlen = strlen (domain);
    if (dlen > 255)
        dlen = 255;             /* libzmq's limit for ZMQ_ZAP_DOMAIN         */
    if (zmq_setsockopt (sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0
        || zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, z->cert.secret_key,
                           GL_CERT_KEY_BYTES) != 0
        || zmq_setsockopt (sock, ZMQ_ZAP_DOMAIN, domain, dlen) != 0)
        return -1;
    /* Refuse rather than admit should the handler be missing; a libzmq
     * without the option refuses it (EINVAL), and the order of start-up
     * is what guarantees the handler then. */
    zmq_setsockopt (sock, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one);
    return 0;
}

int
gl_zap_broker_key (gl_zap_t *z, const char *public_key_file, char *err,
                   size_t err_len)
{
    if (gl_cert_load (public_key_file, false, &z->broker, err, err_len) < 0)
        return -1;
    z->has_broker = true;
    return 0;
}

int
gl_zap_client (gl_zap_t *z, void *sock)
{
    if (!z->has_broker) {
        errno = EINVAL;
        return -1;
    }
    if (zmq_setsockopt (sock, ZMQ_CURVE_SERVERKEY, z->broker.public_key,
                        GL_CERT_KEY_BYTES) != 0
        || zmq_setsockopt (sock, ZMQ_CURVE_PUBLICKEY, z->cert.public_key,
                           GL_CERT_KEY_BYTES) != 0
        || zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, z->cert.secret_key,
                           GL_CERT_KEY_BYTES) != 0)
        return -1;
    return 0;
}

int
gl_zap_reload (gl_zap_t *z, const char *dir)
{
    s_allowed_t *items;
    size_t n;
    char why[1024];
    if (s_load_dir (dir, &items, &n, why, sizeof why) < 0) {
        gl_log (GL_LOG_ERROR, "allowed keys not reloaded, unchanged: %s", why);
        return -1;
    }
    pthread_mutex_lock (&z->lock);
    s_allowed_t *old = z->allowed;
    z->allowed = items;
    z->n_allowed = n;
    snprintf (z->dir, sizeof z->dir, "%s", dir);
    pthread_mutex_unlock (&z->lock);
    free (old);
    gl_log (GL_LOG_INFO, "allowed keys reloaded: %zu client key%s from %s", n,
            n == 1 ? "" : "s", dir);
    return 0;
}

void
gl_zap_stop (gl_zap_t **zap)
{
    gl_zap_t *z = *zap;
    if (!z)
        return;
    if (z->running)
        pthread_join (z->thread, NULL);
    s_free (z);
    *zap = NULL;
}
