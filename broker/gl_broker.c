/*  gl_broker.c: gidlint-broker's settings, devices, route relay and main
 *  thread.  See gl_broker.h.
 *
 *  Threads.  One per path: three run zmq_proxy_steerable() on their
 *  frontend and backend, the fourth the route relay; plus the ZAP
 *  handler's when CURVE is on (gl_zap.c).  Each socket is created and
 *  bound by the main thread, then used only by its device's thread (a
 *  socket may move between threads across the barrier pthread_create()
 *  is).  The main thread keeps the other end of an inproc PAIR per device,
 *  over which it sends STATISTICS (the proxies' eight counters, logged
 *  every stats_interval) and TERMINATE.  Signals are blocked in every
 *  thread, the main one included, before any thread starts: the main
 *  thread takes them with sigtimedwait(), so no device is ever interrupted
 *  and a reload runs in ordinary code.
 *
 *  Flow control is libzmq's.  The documents proxy reads its frontend only
 *  when its backend can take a message, so with no daemon connected
 *  documents wait in the frontend's queue (ingest_hwm) and then in the
 *  producers'.  The results XPUB drops for a subscriber that lags
 *  results_hwm behind, as a daemon's PUB does; the daemon's seq shows the
 *  gap and replay through the route path fills it.
 *
 *  The route relay addresses one daemon by name.  Each daemon connects its
 *  control ROUTER to backend.route with ZMQ_ROUTING_ID set to its name, so
 *  the broker's backend ROUTER knows it by that name; ZMQ_ROUTER_HANDOVER
 *  lets a daemon restarted under the same name take over at once, and
 *  ZMQ_ROUTER_MANDATORY turns a name nobody holds into EHOSTUNREACH
 *  instead of a silent drop, which the relay answers with `refused`
 *  (reason "no-daemon").  Framing, client side first:
 *
 *      client sends             [name][body]
 *      frontend.route reads     [cid][name][body...]
 *      backend.route sends      [name][cid][body...]
 *      the daemon reads         [broker-id][cid][body...]  answers
 *                               [broker-id][cid][reply...]
 *      backend.route reads      [name][cid][reply...]
 *      frontend.route sends     [cid][name][reply...]
 *      client receives          [name][reply...]
 *
 *  which is what a client gets from a daemon's own control ROUTER when it
 *  sends [name][body] there (the daemon echoes every frame before the
 *  body), so a client talks to a daemon the same way through the broker or
 *  not.  The relay never blocks: every send is ZMQ_DONTWAIT, and what
 *  cannot be sent (a queue at its high-water mark, a client gone) is
 *  dropped and counted; clients resend what is not answered.
 *
 *  Stopping.  SIGTERM/SIGINT: TERMINATE to each device, join, close the
 *  sockets with a short linger and end the context.  Messages in flight
 *  inside the broker at that moment are lost: documents pushed through
 *  ingest are fire-and-forget anyway, and producers that need delivery use
 *  control, whose requests are resent until answered.
 */
#include "gl_broker.h"
#include "gl_notify.h"
#include "gl_wire.h"
#include "gl_zap.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_LINGER_MS 100         /* at close: what is in flight is lost       */
#define S_CTL_TIMEOUT_MS 2000   /* a device answers STATISTICS within this   */
#define S_RETRY_AFTER_MS 1000   /* `refused` no-daemon: when to ask again    */

/*  ---------------------------------------------------------------------
 *  Settings.                                                               */

#define F(m) GL_FIELD (gl_broker_config_t, m)

static const gl_setting_t s_settings[] = {
    { "broker", "name", GL_SET_STR, F (name),
      "name of this broker, in its log", GL_RESTART },
    { "broker", "log_level", GL_SET_LEVEL, F (log_level),
      "error, warn, info or debug", GL_LIVE },
    { "broker", "stats_interval", GL_SET_SECONDS, F (stats_interval),
      "seconds between log lines of each path's message counts (0: never)", GL_LIVE },
    { "frontend", "ingest", GL_SET_STR, F (fe_ingest),
      "PULL socket producers push documents to", GL_RESTART },
    { "frontend", "results", GL_SET_STR, F (fe_results),
      "XPUB socket subscribers get every daemon's results from", GL_RESTART },
    { "frontend", "control", GL_SET_STR, F (fe_control),
      "ROUTER socket for control requests, each answered by one daemon", GL_RESTART },
    { "frontend", "route", GL_SET_STR, F (fe_route),
      "ROUTER socket for requests to the daemon named in their first frame", GL_RESTART },
    { "backend", "ingest", GL_SET_STR, F (be_ingest),
      "PUSH socket daemons take documents from (they connect)", GL_RESTART },
    { "backend", "results", GL_SET_STR, F (be_results),
      "XSUB socket daemons publish results to (they connect)", GL_RESTART },
    { "backend", "control", GL_SET_STR, F (be_control),
      "DEALER socket daemons take control requests from (they connect)", GL_RESTART },
    { "backend", "route", GL_SET_STR, F (be_route),
      "ROUTER socket daemons connect to under their name (ZMQ_ROUTING_ID)", GL_RESTART },
    { "limits", "ingest_hwm", GL_SET_INT, F (ingest_hwm),
      "documents queued per socket of the documents path", GL_RESTART },
    { "limits", "results_hwm", GL_SET_INT, F (results_hwm),
      "results queued per subscriber and daemon before they are dropped", GL_RESTART },
    { "limits", "control_hwm", GL_SET_INT, F (control_hwm),
      "messages queued per socket of the control path", GL_RESTART },
    { "limits", "route_hwm", GL_SET_INT, F (route_hwm),
      "messages queued per socket of the route path", GL_RESTART },
    { "limits", "max_message", GL_SET_SIZE, F (max_message),
      "largest wire message, bytes, as gidlintd's (a client sending a frame "
      "beyond twice this is disconnected)", GL_RESTART },
    { "security", "curve", GL_SET_BOOL, F (curve),
      "on: CURVE encryption and keys checked on every socket, clients' and "
      "daemons'", GL_RESTART },
    { "security", "secret_key_file", GL_SET_STR, F (secret_key_file),
      "the broker's secret certificate (NAME.key_secret of gidlint keygen)", GL_RESTART },
    { "security", "allowed_keys_dir", GL_SET_STR, F (allowed_keys_dir),
      "public certificates (*.key) of the clients and daemons let in; SIGHUP "
      "rereads it", GL_LIVE },
};

#define N_SETTINGS (sizeof s_settings / sizeof s_settings[0])

static void
s_defaults (void *c)
{
    gl_broker_config_t *cfg = c;
    memset (cfg, 0, sizeof *cfg);
    snprintf (cfg->name, sizeof cfg->name, "gidlint-broker");
    cfg->log_level = GL_LOG_INFO;
    cfg->stats_interval = 60;
    /* The frontends are gidlintd's own defaults: clients need no change. */
    snprintf (cfg->fe_ingest, sizeof cfg->fe_ingest, "tcp://127.0.0.1:7401");
    snprintf (cfg->fe_results, sizeof cfg->fe_results, "tcp://127.0.0.1:7402");
    snprintf (cfg->fe_control, sizeof cfg->fe_control, "tcp://127.0.0.1:7403");
    snprintf (cfg->fe_route, sizeof cfg->fe_route, "tcp://127.0.0.1:7404");
    snprintf (cfg->be_ingest, sizeof cfg->be_ingest, "tcp://127.0.0.1:7411");
    snprintf (cfg->be_results, sizeof cfg->be_results, "tcp://127.0.0.1:7412");
    snprintf (cfg->be_control, sizeof cfg->be_control, "tcp://127.0.0.1:7413");
    snprintf (cfg->be_route, sizeof cfg->be_route, "tcp://127.0.0.1:7414");
    cfg->ingest_hwm = 1000;
    cfg->results_hwm = 10000;
    cfg->control_hwm = 1000;
    cfg->route_hwm = 1000;
    cfg->max_message = GL_DEFAULT_MAX_BYTES + 64 * 1024;   /* gidlintd's */
}

static int
s_check (const void *c, char *err, size_t err_len)
{
    const gl_broker_config_t *cfg = c;
    if (!cfg->name[0])
        return gl_errf (err, err_len, "broker.name is empty");
    if (cfg->curve && !cfg->secret_key_file[0])
        return gl_errf (err, err_len, "security.curve is on but "
                      "security.secret_key_file is not set");
    if (cfg->curve && !cfg->allowed_keys_dir[0])
        return gl_errf (err, err_len, "security.curve is on but "
                      "security.allowed_keys_dir is not set");
    return 0;
}

static const gl_program_t s_program = {
    .name = "gidlint-broker",
    .settings = s_settings,
    .n_settings = N_SETTINGS,
    .config_file_offset = offsetof (gl_broker_config_t, config_file),
    .config_file_size = sizeof (((gl_broker_config_t *) 0)->config_file),
    .usage_extra = "",
    .description = "Serves several gidlintd behind one set of ZeroMQ "
                   "endpoints: documents shared out,\nevery daemon's results "
                   "to every subscriber, control requests to one daemon,\n"
                   "route requests to the daemon they name (docs/protocol.md).",
    .epilogue = "Paths (frontend: clients connect; backend: daemons connect):\n"
                "  documents  PULL   -> PUSH     results  XPUB <- XSUB\n"
                "  control    ROUTER -> DEALER   route    ROUTER -> ROUTER "
                "(by daemon name)\n\n"
                "Signals: SIGTERM/SIGINT stop the devices and exit 0 "
                "(messages inside the\nbroker at that moment are lost); "
                "SIGHUP reloads the configuration file\n(log level, stats "
                "interval, allowed keys).\n",
    .defaults = s_defaults,
    .check = s_check,
};

int
gl_broker_parse_args (int argc, char **argv, gl_broker_config_t *cfg,
                      gl_flags_t *flags)
{
    return gl_settings_parse_args (&s_program, argc, argv, cfg, flags);
}

/*  ---------------------------------------------------------------------
 *  The devices.                                                            */

typedef enum { S_DOCUMENTS, S_RESULTS, S_CONTROL, S_ROUTE, S_N_PATHS } s_path_t;

static const char *const s_path_names[S_N_PATHS] = {
    "documents", "results", "control", "route"
};

/*  The route relay's counters (read by the main thread for its log).      */
typedef struct {
    atomic_ullong routed;       /* client requests passed to a daemon        */
    atomic_ullong answered;     /* daemon answers passed to a client         */
    atomic_ullong refused;      /* no daemon of that name: `refused` sent    */
    atomic_ullong malformed;    /* client or daemon messages that make no sense */
    atomic_ullong dropped;      /* could not be sent without waiting         */
} s_relay_stats_t;

typedef struct {
    s_path_t path;
    void *frontend, *backend;
    void *ctl;                  /* the main thread's end of the PAIR         */
    void *peer;                 /* the device thread's end                   */
    pthread_t thread;
    bool started;
    atomic_bool ended;          /* the device returned by itself             */
    int rc;                     /* what zmq_proxy_steerable returned         */
    /* the route relay only */
    size_t max_message;
    s_relay_stats_t stats;
} s_device_t;

typedef struct {
    gl_broker_config_t cfg;
    const gl_flags_t *flags;
    void *ctx;
    gl_zap_t *zap;
    s_device_t dev[S_N_PATHS];
} s_broker_t;

static void *
s_proxy_main (void *arg)
{
    s_device_t *d = arg;
    d->rc = zmq_proxy_steerable (d->frontend, d->backend, NULL, d->peer);
    if (d->rc != 0)
        gl_log (GL_LOG_ERROR, "%s: the device stopped: %s",
                s_path_names[d->path], zmq_strerror (zmq_errno ()));
    atomic_store (&d->ended, true);
    return NULL;
}

/*  ---------------------------------------------------------------------
 *  The route relay.                                                        */

/*  One multipart message, every frame.                                     */
typedef struct {
    zmq_msg_t *frames;
    size_t n, cap;
} s_parts_t;

static void
s_parts_close (s_parts_t *m)
{
    for (size_t i = 0; i < m->n; i++)
        zmq_msg_close (&m->frames[i]);
    m->n = 0;
}

/*  Reads a whole message from sock without waiting.  Returns 1 with the
 *  frames in m, 0 when there is none, -1 on an error (ETERM, ENOMEM).    */
static int
s_parts_recv (void *sock, s_parts_t *m)
{
    s_parts_close (m);
    int more = 1;
    while (more) {
        if (m->n == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 8;
            zmq_msg_t *f = realloc (m->frames, cap * sizeof *f);
            if (!f) {
                /* Read the rest and drop it: a half-read message would
                 * shift every later one. */
                zmq_msg_t skip;
                zmq_msg_init (&skip);
                while (more && zmq_msg_recv (&skip, sock, 0) >= 0)
                    more = zmq_msg_more (&skip);
                zmq_msg_close (&skip);
                s_parts_close (m);
                errno = ENOMEM;
                return -1;
            }
            m->frames = f;
            m->cap = cap;
        }
        zmq_msg_t *f = &m->frames[m->n];
        zmq_msg_init (f);
        /* Only the first frame can be missing: a message arrives whole. */
        if (zmq_msg_recv (f, sock, m->n ? 0 : ZMQ_DONTWAIT) < 0) {
            int e = zmq_errno ();
            zmq_msg_close (f);
            s_parts_close (m);
            if (e == EAGAIN)
                return 0;
            errno = e;
            return -1;
        }
        m->n++;
        more = zmq_msg_more (f);
    }
    return 1;
}

/*  Sends frames[order[0]], frames[order[1]], … then frames[from..n-1],
 *  without waiting.  The frames are moved out (zmq_msg_send takes them).
 *  Returns 0, or -1 with errno of the first frame that failed: only the
 *  first can fail with EAGAIN or EHOSTUNREACH, and then nothing was sent.  */
static int
s_parts_send (void *sock, s_parts_t *m, const size_t *order, size_t n_order,
              size_t from)
{
    size_t total = n_order + (m->n - from);
    for (size_t i = 0; i < total; i++) {
        zmq_msg_t *f = &m->frames[i < n_order ? order[i] : from + (i - n_order)];
        int flags = ZMQ_DONTWAIT | (i + 1 < total ? ZMQ_SNDMORE : 0);
        if (zmq_msg_send (f, sock, flags) < 0)
            return -1;
    }
    return 0;
}

/*  No daemon of that name: answers [cid][name][refused] to the client.  */
static void
s_refuse (s_device_t *d, s_parts_t *m)
{
    const uint8_t *name = zmq_msg_data (&m->frames[1]);
    size_t name_len = zmq_msg_size (&m->frames[1]);
    char daemon[GL_BROKER_MAX_NAME + 1], quoted[GL_WIRE_QUOTE_CAP];
    gl_wire_quote (quoted, sizeof quoted, name, name_len);
    if (gl_wire_printable (name, name_len)) {
        memcpy (daemon, name, name_len);
        daemon[name_len] = '\0';
    } else
        snprintf (daemon, sizeof daemon, "%s", quoted);
    char why_zh[256], why_en[256];
    snprintf (why_zh, sizeof why_zh, "没有名为 %s 的 gidlintd 连接到代理", quoted);
    snprintf (why_en, sizeof why_en, "no gidlintd named %s is connected to "
              "the broker", quoted);
    /* The request, for its id (and source) when they can be read. */
    gl_wire_limits_t limits = { d->max_message, d->max_message,
                                GL_WIRE_MAX_DEPTH };
    gl_wire_req_t req;
    gl_wire_error_t werr;
    gl_wire_decode_req (zmq_msg_data (&m->frames[2]),
                        zmq_msg_size (&m->frames[2]), &limits, &req, &werr);
    gl_wire_refused_t r = {
        .epoch = 0, .daemon = daemon, .req = &req, .reason = "no-daemon",
        .why_zh = why_zh, .why_en = why_en, .retry_after_ms = S_RETRY_AFTER_MS,
    };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    int rc = gl_wire_encode_refused (&sb, &r);
    gl_wire_req_fini (&req);
    if (rc == 0) {
        /* [cid][name][refused]: the body frame is replaced. */
        zmq_msg_close (&m->frames[2]);
        zmq_msg_init_size (&m->frames[2], sb.size);
        memcpy (zmq_msg_data (&m->frames[2]), sb.data, sb.size);
        for (size_t i = 3; i < m->n; i++)
            zmq_msg_close (&m->frames[i]);
        m->n = 3;
        static const size_t order[] = { 0, 1, 2 };
        if (s_parts_send (d->frontend, m, order, 3, 3) == 0) {
            atomic_fetch_add (&d->stats.refused, 1);
            gl_log (GL_LOG_DEBUG, "route: no daemon named %s; refused", quoted);
        } else
            atomic_fetch_add (&d->stats.dropped, 1);
    }
    msgpack_sbuffer_destroy (&sb);
}

/*  A client's [cid][name][body...] to the daemon: [name][cid][body...].  */
static void
s_from_client (s_device_t *d, s_parts_t *m)
{
    size_t name_len = m->n >= 2 ? zmq_msg_size (&m->frames[1]) : 0;
    if (m->n < 3 || name_len == 0 || name_len > GL_BROKER_MAX_NAME) {
        atomic_fetch_add (&d->stats.malformed, 1);
        gl_log (GL_LOG_DEBUG, "route: dropped a client message of %zu frames "
                "(want [name][body], a name of 1 to %d bytes)",
                m->n ? m->n - 1 : 0, GL_BROKER_MAX_NAME);
        return;
    }
    static const size_t order[] = { 1, 0 };
    if (s_parts_send (d->backend, m, order, 2, 2) == 0) {
        atomic_fetch_add (&d->stats.routed, 1);
        return;
    }
    if (zmq_errno () == EHOSTUNREACH)
        s_refuse (d, m);
    else
        atomic_fetch_add (&d->stats.dropped, 1);
}

/*  A daemon's [name][cid][reply...] to the client: [cid][name][reply...]. */
static void
s_from_daemon (s_device_t *d, s_parts_t *m)
{
    if (m->n < 3 || zmq_msg_size (&m->frames[1]) == 0) {
        atomic_fetch_add (&d->stats.malformed, 1);
        gl_log (GL_LOG_DEBUG, "route: dropped a daemon message of %zu frames",
                m->n);
        return;
    }
    static const size_t order[] = { 1, 0 };
    if (s_parts_send (d->frontend, m, order, 2, 2) == 0)
        atomic_fetch_add (&d->stats.answered, 1);
    else
        atomic_fetch_add (&d->stats.dropped, 1);   /* the client is gone */
}

/*  At most this many messages from one side before looking at the other.  */
#define S_BATCH 64

/*  Passes on what waits on sock, S_BATCH messages at most.  Returns 0, or
 *  -1 when the socket fails (the context ends); a message that cannot be
 *  held (ENOMEM) is dropped and counted.                                  */
static int
s_drain (s_device_t *d, void *sock, s_parts_t *m,
         void (*pass) (s_device_t *, s_parts_t *))
{
    for (int i = 0; i < S_BATCH; i++) {
        int rc = s_parts_recv (sock, m);
        if (rc == 0)
            return 0;
        if (rc < 0) {
            if (errno != ENOMEM)
                return -1;
            atomic_fetch_add (&d->stats.dropped, 1);
            continue;
        }
        pass (d, m);
        s_parts_close (m);
    }
    return 0;
}

static void *
s_relay_main (void *arg)
{
    s_device_t *d = arg;
    s_parts_t m = { 0 };
    zmq_pollitem_t items[] = {
        { d->peer, 0, ZMQ_POLLIN, 0 },
        { d->frontend, 0, ZMQ_POLLIN, 0 },
        { d->backend, 0, ZMQ_POLLIN, 0 },
    };
    d->rc = 0;
    for (;;) {
        if (zmq_poll (items, 3, -1) < 0) {
            if (zmq_errno () == EINTR)
                continue;
            d->rc = -1;
            break;
        }
        if (items[0].revents & ZMQ_POLLIN) {
            char cmd[32];
            int n = zmq_recv (d->peer, cmd, sizeof cmd, 0);
            if (n == 9 && memcmp (cmd, "TERMINATE", 9) == 0)
                break;
        }
        if (s_drain (d, d->frontend, &m, s_from_client) != 0
            || s_drain (d, d->backend, &m, s_from_daemon) != 0) {
            d->rc = -1;
            break;
        }
    }
    if (d->rc != 0)
        gl_log (GL_LOG_ERROR, "route: the relay stopped: %s",
                zmq_strerror (zmq_errno ()));
    s_parts_close (&m);
    free (m.frames);
    atomic_store (&d->ended, true);
    return NULL;
}

/*  ---------------------------------------------------------------------
 *  Set-up, counters and tear-down.                                         */

static void *
s_socket (s_broker_t *b, int type, const char *endpoint, int hwm,
          bool frontend)
{
    void *sock = zmq_socket (b->ctx, type);
    if (!sock)
        return NULL;
    int linger = S_LINGER_MS;
    zmq_setsockopt (sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt (sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt (sock, ZMQ_RCVHWM, &hwm, sizeof hwm);
    if (frontend) {
        /* As gidlintd: twice the message limit, so that the daemon still
         * sees, and rejects with GID003, what lies between. */
        int64_t maxmsg = (int64_t) b->cfg.max_message * 2;
        zmq_setsockopt (sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    }
    /* With CURVE on, every socket is a CURVE server: clients and daemons
     * alike present a key the ZAP handler must know. */
    if (b->zap && gl_zap_secure (b->zap, sock, endpoint) != 0) {
        gl_log (GL_LOG_ERROR, "cannot make %s a CURVE server: %s", endpoint,
                zmq_strerror (zmq_errno ()));
        zmq_close (sock);
        return NULL;
    }
    if (zmq_bind (sock, endpoint) != 0) {
        gl_log (GL_LOG_ERROR, "cannot bind %s: %s", endpoint,
                zmq_strerror (zmq_errno ()));
        zmq_close (sock);
        return NULL;
    }
    return sock;
}

static int
s_open_device (s_broker_t *b, s_path_t path)
{
    static const struct {
        int fe_type, be_type;
    } types[S_N_PATHS] = {
        [S_DOCUMENTS] = { ZMQ_PULL, ZMQ_PUSH },
        [S_RESULTS] = { ZMQ_XPUB, ZMQ_XSUB },
        [S_CONTROL] = { ZMQ_ROUTER, ZMQ_DEALER },
        [S_ROUTE] = { ZMQ_ROUTER, ZMQ_ROUTER },
    };
    const gl_broker_config_t *c = &b->cfg;
    const char *fe[S_N_PATHS] = { c->fe_ingest, c->fe_results, c->fe_control,
                                  c->fe_route };
    const char *be[S_N_PATHS] = { c->be_ingest, c->be_results, c->be_control,
                                  c->be_route };
    int hwm[S_N_PATHS] = { c->ingest_hwm, c->results_hwm, c->control_hwm,
                           c->route_hwm };
    s_device_t *d = &b->dev[path];
    d->path = path;
    d->max_message = c->max_message;
    d->frontend = s_socket (b, types[path].fe_type, fe[path], hwm[path], true);
    if (!d->frontend)
        return -1;
    d->backend = s_socket (b, types[path].be_type, be[path], hwm[path], false);
    if (!d->backend)
        return -1;
    if (path == S_ROUTE) {
        /* A name nobody holds is an error to answer (and a client gone
         * one to count), not a silent drop; a daemon reconnecting under
         * its name takes it over at once. */
        int on = 1;
        zmq_setsockopt (d->backend, ZMQ_ROUTER_MANDATORY, &on, sizeof on);
        zmq_setsockopt (d->backend, ZMQ_ROUTER_HANDOVER, &on, sizeof on);
        zmq_setsockopt (d->frontend, ZMQ_ROUTER_MANDATORY, &on, sizeof on);
    }
    /* The steering PAIR: the main thread binds, the device connects. */
    char ep[64];
    snprintf (ep, sizeof ep, "inproc://gidlint-broker-%s", s_path_names[path]);
    d->ctl = zmq_socket (b->ctx, ZMQ_PAIR);
    d->peer = zmq_socket (b->ctx, ZMQ_PAIR);
    if (!d->ctl || !d->peer || zmq_bind (d->ctl, ep) != 0
        || zmq_connect (d->peer, ep) != 0)
        return -1;
    int linger = 0, timeout = S_CTL_TIMEOUT_MS;
    zmq_setsockopt (d->ctl, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt (d->peer, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt (d->ctl, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt (d->ctl, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    if (pthread_create (&d->thread, NULL,
                        path == S_ROUTE ? s_relay_main : s_proxy_main, d) != 0)
        return -1;
    d->started = true;
    return 0;
}

/*  The proxy's eight counters (frontend in msgs, bytes, out msgs, bytes;
 *  backend the same).  Returns 0, or -1 when the device does not answer. */
static int
s_proxy_stats (s_device_t *d, uint64_t v[8])
{
    if (zmq_send (d->ctl, "STATISTICS", 10, 0) != 10)
        return -1;
    for (int i = 0; i < 8; i++) {
        uint64_t x = 0;
        int n = zmq_recv (d->ctl, &x, sizeof x, 0);
        if (n != (int) sizeof x)
            return -1;
        v[i] = x;
        int more = 0;
        size_t len = sizeof more;
        zmq_getsockopt (d->ctl, ZMQ_RCVMORE, &more, &len);
        if (!more != (i == 7))
            return -1;
    }
    return 0;
}

/*  One line per path: what came in from one side and went out on the
 *  other, each way (a difference is what is queued or was dropped).
 *  Clients are on the frontends, daemons on the backends; for results,
 *  what goes from clients to daemons is subscriptions.                    */
static void
s_log_stats (s_broker_t *b, const char *when)
{
    for (int p = 0; p < S_ROUTE; p++) {
        s_device_t *d = &b->dev[p];
        uint64_t v[8];
        if (!d->started || atomic_load (&d->ended) || s_proxy_stats (d, v) != 0) {
            gl_log (GL_LOG_WARN, "%s: no counters from the device", s_path_names[p]);
            continue;
        }
        gl_log (GL_LOG_INFO, "%s%s: clients to daemons %llu in, %llu out "
                "(%llu bytes); daemons to clients %llu in, %llu out (%llu bytes)",
                when, s_path_names[p], (unsigned long long) v[0],
                (unsigned long long) v[6], (unsigned long long) v[1],
                (unsigned long long) v[4], (unsigned long long) v[2],
                (unsigned long long) v[5]);
    }
    s_relay_stats_t *r = &b->dev[S_ROUTE].stats;
    gl_log (GL_LOG_INFO, "%sroute: %llu requests routed, %llu answers "
            "returned, %llu refused (no daemon), %llu malformed, %llu dropped",
            when, (unsigned long long) atomic_load (&r->routed),
            (unsigned long long) atomic_load (&r->answered),
            (unsigned long long) atomic_load (&r->refused),
            (unsigned long long) atomic_load (&r->malformed),
            (unsigned long long) atomic_load (&r->dropped));
}

/*  Stops the devices that run, one log line each.                         */
static void
s_stop_devices (s_broker_t *b)
{
    for (int p = 0; p < S_N_PATHS; p++) {
        s_device_t *d = &b->dev[p];
        if (!d->started)
            continue;
        if (!atomic_load (&d->ended))
            zmq_send (d->ctl, "TERMINATE", 9, 0);
        pthread_join (d->thread, NULL);
        d->started = false;
        gl_log (GL_LOG_INFO, "%s: stopped", s_path_names[p]);
    }
}

static void
s_close_all (s_broker_t *b)
{
    for (int p = 0; p < S_N_PATHS; p++) {
        s_device_t *d = &b->dev[p];
        void **socks[] = { &d->frontend, &d->backend, &d->ctl, &d->peer };
        for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
            if (*socks[i]) {
                zmq_close (*socks[i]);
                *socks[i] = NULL;
            }
    }
}

static void
s_reload (s_broker_t *b)
{
    gl_broker_config_t cfg = b->cfg;
    char err[512];
    if (gl_settings_resolve (&s_program, &cfg, b->flags, err, sizeof err) < 0) {
        gl_log (GL_LOG_ERROR, "reload failed, configuration unchanged: %s", err);
        return;
    }
    /* Only the log level, the stats interval and the allowed keys change
     * while the broker runs; the rest (GL_RESTART) is its sockets'. */
    char kept[512];
    if (gl_settings_keep (&s_program, &cfg, &b->cfg, kept, sizeof kept))
        gl_log (GL_LOG_WARN, "reload: %s change only on restart; kept as they "
                "are", kept);
    b->cfg = cfg;
    gl_log_set_level (b->cfg.log_level);
    if (b->zap)
        gl_zap_reload (b->zap, b->cfg.allowed_keys_dir);
    gl_log (GL_LOG_INFO, "configuration reloaded");
}

static double
s_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/*  Waits for signals; returns the exit status.                            */
static int
s_main_loop (s_broker_t *b, const sigset_t *sigs)
{
    double next_stats = s_now () + b->cfg.stats_interval;
    for (;;) {
        /* A second at most: a device that ends by itself is noticed. */
        double wait = 1.0;
        if (b->cfg.stats_interval > 0) {
            double left = next_stats - s_now ();
            if (left <= 0) {
                s_log_stats (b, "");
                next_stats = s_now () + b->cfg.stats_interval;
                left = b->cfg.stats_interval;
            }
            if (left < wait)
                wait = left;
        }
        struct timespec ts = { (time_t) wait,
                               (long) ((wait - (double) (time_t) wait) * 1e9) };
        int sig = sigtimedwait (sigs, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT) {
            gl_log (GL_LOG_INFO, "signal %d: stopping", sig);
            gl_notify_stopping ();
            return 0;
        }
        if (sig == SIGHUP) {
            gl_notify_reloading ();
            s_reload (b);
            gl_notify_ready (NULL);
            next_stats = s_now () + b->cfg.stats_interval;
            continue;
        }
        for (int p = 0; p < S_N_PATHS; p++)
            if (b->dev[p].started && atomic_load (&b->dev[p].ended)) {
                gl_log (GL_LOG_ERROR, "%s: the device ended; stopping",
                        s_path_names[p]);
                return 1;
            }
    }
}

int
gl_broker_run (const gl_broker_config_t *cfg, const gl_flags_t *flags)
{
    s_broker_t *b = calloc (1, sizeof *b);
    if (!b)
        return 1;
    b->cfg = *cfg;
    b->flags = flags;
    gl_log_set_level (cfg->log_level);
    signal (SIGPIPE, SIG_IGN);
    /* Blocked here, before libzmq's, the ZAP handler's and the devices'
     * threads exist, so every thread inherits the mask and only
     * sigtimedwait() in this one takes them. */
    sigset_t sigs;
    sigemptyset (&sigs);
    sigaddset (&sigs, SIGTERM);
    sigaddset (&sigs, SIGINT);
    sigaddset (&sigs, SIGHUP);
    pthread_sigmask (SIG_BLOCK, &sigs, NULL);

    int status = 1;
    b->ctx = zmq_ctx_new ();
    if (!b->ctx)
        goto out;
    /* The ZAP handler is bound before the sockets are (gl_zap.c). */
    if (b->cfg.curve) {
        char err[1024];
        b->zap = gl_zap_start (b->ctx, b->cfg.secret_key_file,
                               b->cfg.allowed_keys_dir, err, sizeof err);
        if (!b->zap) {
            gl_log (GL_LOG_ERROR, "cannot start: %s", err);
            status = 2;
            goto out;
        }
    }
    for (int p = 0; p < S_N_PATHS; p++)
        if (s_open_device (b, (s_path_t) p) != 0) {
            status = 2;
            goto out;
        }
    gl_log (GL_LOG_INFO, "gidlint-broker %s '%s': documents %s -> %s, results "
            "%s <- %s, control %s -> %s, route %s -> %s%s", GL_VERSION_STRING,
            b->cfg.name, b->cfg.fe_ingest, b->cfg.be_ingest, b->cfg.fe_results,
            b->cfg.be_results, b->cfg.fe_control, b->cfg.be_control,
            b->cfg.fe_route, b->cfg.be_route, b->zap ? ", CURVE on" : "");
    /* Every endpoint is bound and every device runs: ready for systemd. */
    gl_notify_ready ("routing documents, results, control and route");
    status = s_main_loop (b, &sigs);
    s_log_stats (b, "final ");

out:
    s_stop_devices (b);
    if (b->ctx) {
        s_close_all (b);
        /* Ends the ZAP handler's thread (ETERM), then waits for lingering
         * sends, S_LINGER_MS at most. */
        zmq_ctx_shutdown (b->ctx);
        gl_zap_stop (&b->zap);
        zmq_ctx_term (b->ctx);
    }
    gl_log (GL_LOG_INFO, "gidlint-broker '%s' exits with status %d", b->cfg.name,
            status);
    free (b);
    return status;
}
