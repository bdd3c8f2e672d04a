/*  gl_server.c: gidlintd's main thread.  See gl_server.h for the picture.
 *
 *  ZeroMQ and libev.  A ZeroMQ socket's ZMQ_FD is edge-triggered and says
 *  only "look at ZMQ_EVENTS"; after any send or receive the socket may have
 *  messages that will never make the fd readable again.  So the loop does
 *  not trust the fd: an ev_prepare watcher asks ZMQ_EVENTS of every socket
 *  we are willing to read before libev blocks, and if one has input it
 *  starts an ev_idle watcher so that libev does not block at all; the
 *  ev_check watcher then does the reading.  The ev_io watchers on the fds
 *  only wake the loop.  Reading is in batches so that one busy socket does
 *  not starve the others.
 */
#define _GNU_SOURCE
#include "gl_server.h"
#include "gl_rate.h"
#include "gl_ring.h"
#include "gl_notify.h"
#include "gl_worker.h"
#include "gl_zap.h"

#include <ev.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define GL_BATCH 64             /* messages per socket per loop turn         */
#define GL_LATENCIES 4096       /* recent latencies kept for percentiles     */
#define GL_MAX_ENVELOPE 8       /* routing frames of a control request       */
#define GL_REPLAY_MAX 256       /* messages in one answer to a replay        */
#define GL_REPLAY_BYTES (4u << 20)      /* … and their bytes, at most        */

/*  A control request waiting for its result: its routing envelope, and
 *  the key of the document (gl_ring_key) so that a resend is recognised.  */
typedef struct {
    uint64_t job;               /* 0: slot free                              */
    uint64_t key;
    size_t n;
    zmq_msg_t frames[GL_MAX_ENVELOPE];
} gl_pending_t;

typedef struct {
    const gl_flags_t *flags;
    gl_config_t cfg;
    struct ev_loop *loop;
    void *ctx;
    void *ingest, *results, *control, *jobs, *done;
    ev_io io_ingest, io_control, io_done;
    ev_prepare prepare;
    ev_check check;
    ev_idle idle;
    ev_signal sig_term, sig_int, sig_hup;
    ev_timer stats_timer, grace_timer, shutdown_timer, trim_timer;

    gl_eng_ref_t *engine;       /* current configuration                     */
    gl_zap_t *zap;              /* CURVE and its ZAP handler; NULL when off  */
    pthread_t *threads;
    int n_workers;
    gl_worker_t *workers;

    uint64_t epoch;
    uint64_t seq;
    uint64_t next_job;
    double started;
    bool accepting;             /* taking new requests                       */
    bool ingest_open;           /* still reading the ingest socket           */
    bool draining;              /* stopping: read ingest until it is empty   */
    bool stopping;

    gl_pending_t *pending;      /* max_in_flight slots                       */
    size_t n_pending_slots;
    gl_ring_t *ring;            /* recent results: replay and resends        */
    gl_rate_t *rate;            /* control requests per connection           */
    double monotonic0;

    uint64_t received, linted, rejected, published, in_flight;
    uint64_t in_flight_bytes;   /* of the requests taken, not yet answered   */
    uint64_t last_activity;     /* published at the last idle check          */
    bool trimmed;               /* memory given back since the last activity */
    uint64_t resent, refused, replays;
    bool warned_unmetered;
    uint64_t code_counts[GL_WORKER_CODES];
    double latencies[GL_LATENCIES];
    size_t n_latencies;
} gl_server_t;

/*  Seconds on a clock: CLOCK_REALTIME for times sent to others,
 *  CLOCK_MONOTONIC for intervals.                                          */
static double
s_clock (clockid_t clock)
{
    struct timespec ts;
    clock_gettime (clock, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
s_now (void)
{
    return s_clock (CLOCK_REALTIME);
}

static bool
s_has (void *sock, int what)
{
    int events = 0;
    size_t len = sizeof events;
    if (zmq_getsockopt (sock, ZMQ_EVENTS, &events, &len) != 0)
        return false;
    return (events & what) != 0;
}


/*  ---------------------------------------------------------------------
 *  Engines: the current one, and old ones still used by in-flight jobs.   */

static gl_eng_ref_t *
s_engine_new (const gl_config_t *cfg)
{
    char err[256];
    gl_engine_t *e = gl_config_engine (cfg, err, sizeof err);
    if (!e) {
        gl_log (GL_LOG_ERROR, "configuration: %s", err);
        return NULL;
    }
    gl_eng_ref_t *ref = calloc (1, sizeof *ref);
    if (!ref) {
        gl_engine_destroy (&e);
        return NULL;
    }
    ref->engine = e;
    ref->limits.max_message = cfg->max_message;
    ref->limits.max_body = cfg->max_document;
    ref->limits.max_depth = GL_WIRE_MAX_DEPTH;
    ref->lang_default = GL_LANG_ZH;
    return ref;
}

static void
s_engine_release (gl_server_t *s, gl_eng_ref_t *ref)
{
    if (--ref->refs == 0 && ref != s->engine) {
        gl_engine_destroy (&ref->engine);
        free (ref);
    }
}

/*  ---------------------------------------------------------------------
 *  Publishing.                                                             */

static gl_pending_t *
s_pending_find (gl_server_t *s, uint64_t job)
{
    for (size_t i = 0; i < s->n_pending_slots; i++)
        if (s->pending[i].job == job)
            return &s->pending[i];
    return NULL;
}

static void
s_pending_release (gl_pending_t *p)
{
    for (size_t i = 0; i < p->n; i++)
        zmq_msg_close (&p->frames[i]);
    p->n = 0;
    p->job = 0;
    p->key = 0;
}

/*  Sends a reply of n frames to a control peer behind its envelope.
 *  Consumes the frames.                                                    */
static void
s_reply_frames (gl_server_t *s, gl_pending_t *env, zmq_msg_t *frames, size_t n)
{
    for (size_t i = 0; i < env->n; i++) {
        zmq_msg_t copy;
        zmq_msg_init (&copy);
        zmq_msg_copy (&copy, &env->frames[i]);
        if (zmq_msg_send (&copy, s->control, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
            zmq_msg_close (&copy);
    }
    for (size_t i = 0; i < n; i++) {
        int flags = ZMQ_DONTWAIT | (i + 1 < n ? ZMQ_SNDMORE : 0);
        if (zmq_msg_send (&frames[i], s->control, flags) < 0) {
            if (i == 0)
                gl_log (GL_LOG_WARN, "control: reply not sent: %s",
                        zmq_strerror (zmq_errno ()));
            zmq_msg_close (&frames[i]);
        }
    }
}

static void
s_reply (gl_server_t *s, gl_pending_t *env, zmq_msg_t *msg)
{
    s_reply_frames (s, env, msg, 1);
}

/*  Numbers a result or reject and publishes it under topic, keeping it in
 *  the ring (with key, 0 for none); if env is not NULL also answers the
 *  control peer.  Consumes body.                                          */
static void
s_publish (gl_server_t *s, const char *topic, size_t topic_len,
           zmq_msg_t *body, gl_pending_t *env, uint64_t key)
{
    s->seq++;
    gl_wire_patch_seq (zmq_msg_data (body), zmq_msg_size (body), s->seq);
    if (gl_ring_put (s->ring, s->seq, key, topic, topic_len, zmq_msg_data (body),
                     zmq_msg_size (body)) != 0)
        gl_log (GL_LOG_WARN, "seq %llu not kept for replay: larger than "
                "ring_bytes", (unsigned long long) s->seq);
    if (env) {
        zmq_msg_t copy;
        zmq_msg_init (&copy);
        zmq_msg_copy (&copy, body);
        s_reply (s, env, &copy);
    }
    /* PUB never blocks: past a subscriber's high-water mark it drops, and
     * the subscriber sees the gap in seq. */
    zmq_send (s->results, topic, topic_len, ZMQ_SNDMORE);
    if (zmq_msg_send (body, s->results, 0) < 0) {
        gl_log (GL_LOG_WARN, "results: publish failed: %s",
                zmq_strerror (zmq_errno ()));
        zmq_msg_close (body);
    }
    s->published++;
}

/*  ---------------------------------------------------------------------
 *  Replies built in the main thread: health, stats, rejects of control
 *  requests that could not be decoded.                                     */

static int
s_cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static void
s_fill_stats (gl_server_t *s, gl_wire_stats_t *st)
{
    memset (st, 0, sizeof *st);
    st->epoch = s->epoch;
    st->daemon = s->cfg.name;
    st->now = s_now ();
    st->uptime = st->now - s->started;
    st->received = s->received;
    st->linted = s->linted;
    st->rejected = s->rejected;
    st->published = s->published;
    st->seq = s->seq;
    st->in_flight = s->in_flight;
    st->workers = (uint64_t) s->n_workers;
    st->resent = s->resent;
    st->refused = s->refused;
    st->replays = s->replays;
    st->ring_first = gl_ring_first (s->ring);
    st->ring_last = gl_ring_last (s->ring);
    st->ring_bytes = gl_ring_bytes (s->ring);
    size_t n = s->n_latencies < GL_LATENCIES ? s->n_latencies : GL_LATENCIES;
    if (n) {
        double sorted[GL_LATENCIES];
        memcpy (sorted, s->latencies, n * sizeof sorted[0]);
        qsort (sorted, n, sizeof sorted[0], s_cmp_double);
        st->latency_p50_ms = sorted[(n - 1) / 2];
        st->latency_p99_ms = sorted[(size_t) ((double) (n - 1) * 0.99)];
        st->latency_max_ms = sorted[n - 1];
    }
    for (size_t i = 0; i < GL_WORKER_CODES && st->n_codes < GL_WIRE_MAX_CODES; i++)
        if (s->code_counts[i]) {
            st->codes[st->n_codes] = gl_worker_code_name (i);
            st->code_counts[st->n_codes++] = s->code_counts[i];
        }
}

static void
s_publish_stats (gl_server_t *s)
{
    gl_wire_stats_t st;
    s_fill_stats (s, &st);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    zmq_msg_t msg;
    if (gl_wire_encode_stats (&sb, &st) == 0 && gl_worker_msg_from_sbuffer (&msg, &sb) == 0) {
        zmq_send (s->results, "stats/", 6, ZMQ_SNDMORE);
        if (zmq_msg_send (&msg, s->results, 0) < 0)
            zmq_msg_close (&msg);
    }
    msgpack_sbuffer_destroy (&sb);
}

static void
s_reject_control (gl_server_t *s, gl_pending_t *env, const gl_wire_req_t *req,
                  const gl_wire_error_t *err, double received)
{
    gl_wire_reject_t r = { .epoch = s->epoch, .daemon = s->cfg.name,
                           .received = received, .req = req, .err = err,
                           .lang = req->lang };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    zmq_msg_t msg;
    if (gl_wire_encode_reject (&sb, &r) == 0 && gl_worker_msg_from_sbuffer (&msg, &sb) == 0) {
        char topic[GL_WORKER_TOPIC_MAX];
        gl_worker_topic (topic, sizeof topic, "reject", req->source, req->source_len);
        s->rejected++;
        s->code_counts[gl_worker_code_index (err->code)]++;
        s_publish (s, topic, strlen (topic), &msg, env, 0);
    }
    msgpack_sbuffer_destroy (&sb);
}

static void
s_reply_encoded (gl_server_t *s, gl_pending_t *env, msgpack_sbuffer *sb)
{
    zmq_msg_t msg;
    if (gl_worker_msg_from_sbuffer (&msg, sb) == 0)
        s_reply (s, env, &msg);
}

/*  ---------------------------------------------------------------------
 *  Dispatching to workers.                                                 */

static void
s_dispatch (gl_server_t *s, zmq_msg_t *req, uint32_t kind, double received,
            uint64_t job)
{
    gl_job_t hdr = { .job = job, .engine = s->engine, .received = received,
                     .bytes = zmq_msg_size (req), .kind = kind };
    s->engine->refs++;
    s->in_flight++;
    s->in_flight_bytes += hdr.bytes;
    /* The jobs socket's high-water mark is above max_in_flight, and reads
     * stop at max_in_flight, so this does not block. */
    zmq_send (s->jobs, &hdr, sizeof hdr, ZMQ_SNDMORE);
    zmq_msg_send (req, s->jobs, 0);
}

/*  ---------------------------------------------------------------------
 *  Control requests: the rate limit, resent documents, replays.           */

/*  0 when the connection of env may make one more request, else the
 *  milliseconds until it may.                                             */
static uint64_t
s_rate_take (gl_server_t *s, gl_pending_t *env)
{
    /* The connection is the whole envelope: a client's own routing id, or
     * behind a broker the broker's and the client's at the broker. */
    unsigned char key[512];
    size_t len = 0;
    for (size_t i = 0; i < env->n; i++) {
        size_t k = zmq_msg_size (&env->frames[i]);
        if (k > sizeof key - len)
            k = sizeof key - len;
        memcpy (key + len, zmq_msg_data (&env->frames[i]), k);
        len += k;
    }
    bool unmetered = false;
    uint64_t ms = gl_rate_take (s->rate, key, len, s_clock (CLOCK_MONOTONIC),
                                s->cfg.control_rate, s->cfg.control_burst,
                                &unmetered);
    if (unmetered && !s->warned_unmetered) {
        gl_log (GL_LOG_WARN, "control: more than %d connections are being "
                "metered; new ones go unmetered", GL_RATE_MAX_PEERS);
        s->warned_unmetered = true;
    }
    return ms;
}

static void
s_refuse (gl_server_t *s, gl_pending_t *env, const gl_wire_req_t *req,
          uint64_t wait_ms)
{
    char zh[160], en[160];
    snprintf (zh, sizeof zh, "请求过于频繁：每个连接每秒最多 %g 个控制请求，"
              "请 %llu 毫秒后重试", s->cfg.control_rate,
              (unsigned long long) wait_ms);
    snprintf (en, sizeof en, "too many requests: at most %g control requests "
              "a second per connection; retry in %llu ms", s->cfg.control_rate,
              (unsigned long long) wait_ms);
    gl_wire_refused_t r = { .epoch = s->epoch, .daemon = s->cfg.name,
                            .req = req, .reason = "rate", .why_zh = zh,
                            .why_en = en, .retry_after_ms = wait_ms };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    if (gl_wire_encode_refused (&sb, &r) == 0)
        s_reply_encoded (s, env, &sb);
    msgpack_sbuffer_destroy (&sb);
    s->refused++;
    gl_log (GL_LOG_DEBUG, "control: request refused, over the rate limit");
}

/*  A document from the control socket.  A resend of one the ring still
 *  holds (same source, id and message bytes) is answered from the ring, not linted
 *  again; a resend of one still being linted takes over the envelope, so
 *  the answer goes to the connection that asked last (the first one may be
 *  gone: producers reconnect).  Returns true when body went to a worker.  */
static bool
s_control_document (gl_server_t *s, gl_pending_t *env,
                    const gl_wire_req_t *req, zmq_msg_t *body, double received)
{
    /* The whole message, not only the body: the same document asked in
     * another language, or under another name, is another request. */
    uint64_t key = gl_ring_key (req->source, req->source_len, req->id,
                                req->id_len, zmq_msg_data (body),
                                zmq_msg_size (body));
    gl_ring_entry_t done;
    if (gl_ring_find (s->ring, key, &done)) {
        zmq_msg_t copy;
        zmq_msg_init_size (&copy, done.size);
        memcpy (zmq_msg_data (&copy), done.data, done.size);
        s_reply (s, env, &copy);
        s_pending_release (env);
        s->resent++;
        gl_log (GL_LOG_DEBUG, "control: '%.*s' sent again; answered with seq "
                "%llu", (int) req->id_len, req->id,
                (unsigned long long) done.seq);
        return false;
    }
    for (size_t i = 0; i < s->n_pending_slots; i++) {
        gl_pending_t *p = &s->pending[i];
        if (p->job == 0 || p->key != key || p == env)
            continue;
        for (size_t k = 0; k < env->n; k++) {
            if (k >= p->n)
                zmq_msg_init (&p->frames[k]);
            zmq_msg_move (&p->frames[k], &env->frames[k]);  /* closes p's */
        }
        for (size_t k = env->n; k < p->n; k++)
            zmq_msg_close (&p->frames[k]);
        p->n = env->n;
        s_pending_release (env);
        s->resent++;
        return false;
    }
    env->job = ++s->next_job;
    env->key = key;
    s_dispatch (s, body, GL_JOB_CONTROL, received, env->job);
    return true;
}

/*  The answer to a replay: a header (gl_wire_replay_t), then for each
 *  message held in [from, to] whose topic starts with one of the prefixes
 *  asked (any, when none), its topic and its bytes as published.          */
static bool
s_topic_wanted (const gl_wire_req_t *req, const gl_ring_entry_t *e)
{
    if (req->n_topics == 0)
        return true;
    for (size_t i = 0; i < req->n_topics; i++) {
        const msgpack_object *t = &req->topics[i];
        if (t->via.str.size <= e->topic_len
            && memcmp (t->via.str.ptr, e->topic, t->via.str.size) == 0)
            return true;
    }
    return false;
}

static void
s_replay (gl_server_t *s, gl_pending_t *env, const gl_wire_req_t *req)
{
    gl_wire_replay_t r = { .epoch = s->epoch, .daemon = s->cfg.name,
                           .from = req->from, .to = req->to,
                           .first = gl_ring_first (s->ring), .last = s->seq };
    zmq_msg_t *frames = calloc (1 + 2 * GL_REPLAY_MAX, sizeof *frames);
    if (!frames)
        return;
    size_t n = 1, bytes = 0;
    s->replays++;
    if (req->epoch && req->epoch != s->epoch) {
        /* Another life of the daemon: nothing of it is left. */
        r.other_epoch = true;
        r.gone[r.n_gone][0] = req->from;
        r.gone[r.n_gone++][1] = req->to;
    }
    else {
        uint64_t to = req->to < s->seq ? req->to : s->seq;
        uint64_t seq = req->from;
        if (seq <= to && (!r.first || seq < r.first)) {
            uint64_t end = r.first && r.first - 1 < to ? r.first - 1 : to;
            r.gone[r.n_gone][0] = seq;
            r.gone[r.n_gone++][1] = end;
            seq = end + 1;
        }
        for (; seq <= to && seq != 0; seq++) {
            gl_ring_entry_t e;
            if (!gl_ring_get (s->ring, seq, &e) || !s_topic_wanted (req, &e))
                continue;
            if (r.count == GL_REPLAY_MAX
                || (r.count && bytes + e.size > GL_REPLAY_BYTES)) {
                r.next = seq;
                break;
            }
            zmq_msg_init_size (&frames[n], e.topic_len);
            memcpy (zmq_msg_data (&frames[n++]), e.topic, e.topic_len);
            zmq_msg_init_size (&frames[n], e.size);
            memcpy (zmq_msg_data (&frames[n++]), e.data, e.size);
            bytes += e.size;
            r.count++;
        }
    }
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    if (gl_wire_encode_replay (&sb, &r) == 0 && gl_worker_msg_from_sbuffer (&frames[0], &sb) == 0)
        s_reply_frames (s, env, frames, n);
    else
        for (size_t i = 1; i < n; i++)
            zmq_msg_close (&frames[i]);
    msgpack_sbuffer_destroy (&sb);
    free (frames);
}

static bool
s_capacity (const gl_server_t *s)
{
    /* By count and by bytes: sixteen 16 MiB documents weigh more than a
     * thousand ordinary ones. */
    return s->in_flight < (uint64_t) s->cfg.max_in_flight
           && s->in_flight_bytes < s->cfg.max_in_flight_bytes;
}

static bool
s_can_take (const gl_server_t *s)
{
    return s->accepting && s_capacity (s);
}

static bool
s_can_take_ingest (const gl_server_t *s)
{
    return s->ingest_open && s_capacity (s);
}

/*  Drops the remaining frames of a multipart message.                      */
static void
s_drain_more (void *sock)
{
    int more = 0;
    size_t len = sizeof more;
    zmq_getsockopt (sock, ZMQ_RCVMORE, &more, &len);
    while (more) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        zmq_msg_recv (&m, sock, ZMQ_DONTWAIT);
        zmq_msg_close (&m);
        zmq_getsockopt (sock, ZMQ_RCVMORE, &more, &len);
    }
}

static void
s_read_ingest (gl_server_t *s)
{
    for (int i = 0; i < GL_BATCH && s_can_take_ingest (s); i++) {
        zmq_msg_t msg;
        zmq_msg_init (&msg);
        if (zmq_msg_recv (&msg, s->ingest, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close (&msg);
            if (s->draining) {
                /* Everything queued before the drain was taken. */
                s->ingest_open = false;
                gl_log (GL_LOG_INFO, "ingest drained; %llu documents in flight",
                        (unsigned long long) s->in_flight);
            }
            return;
        }
        s->received++;
        if (zmq_msg_more (&msg)) {
            /* One frame per document: a multipart message is not one. */
            s_drain_more (s->ingest);
            zmq_msg_close (&msg);
            zmq_msg_init_size (&msg, 0);
        }
        s_dispatch (s, &msg, GL_JOB_INGEST, s_now (), ++s->next_job);
    }
}

static gl_pending_t *
s_pending_take (gl_server_t *s)
{
    for (size_t i = 0; i < s->n_pending_slots; i++)
        if (s->pending[i].job == 0)
            return &s->pending[i];
    return NULL;
}

static void
s_read_control (gl_server_t *s)
{
    for (int i = 0; i < GL_BATCH && s_can_take (s); i++) {
        gl_pending_t *env = s_pending_take (s);
        if (!env)
            return;
        zmq_msg_t frames[GL_MAX_ENVELOPE + 1];
        size_t n = 0;
        bool overflow = false;
        for (;;) {
            zmq_msg_t m;
            zmq_msg_init (&m);
            if (zmq_msg_recv (&m, s->control, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close (&m);
                break;
            }
            bool more = zmq_msg_more (&m);
            if (n < GL_MAX_ENVELOPE + 1) {
                zmq_msg_init (&frames[n]);
                zmq_msg_move (&frames[n++], &m);
            }
            else
                overflow = true;
            zmq_msg_close (&m);
            if (!more)
                break;
        }
        if (n == 0)
            return;
        if (overflow) {
            gl_log (GL_LOG_WARN, "control: message of more than %d frames dropped",
                    GL_MAX_ENVELOPE + 1);
            n = 1;      /* falls into the n < 2 case below */
        }
        if (n < 2) {
            /* A ROUTER message has at least identity and body. */
            for (size_t k = 0; k < (overflow ? GL_MAX_ENVELOPE + 1 : n); k++)
                zmq_msg_close (&frames[k]);
            continue;
        }
        /* The last frame is the request; the frames before it, the
         * identity and the empty delimiter, go back with the reply. */
        zmq_msg_t *body = &frames[n - 1];
        env->n = n - 1;
        for (size_t k = 0; k < env->n; k++) {
            /* zmq_msg_move() releases its destination first: it must be
             * an initialised message. */
            zmq_msg_init (&env->frames[k]);
            zmq_msg_move (&env->frames[k], &frames[k]);
            zmq_msg_close (&frames[k]);
        }
        double received = s_now ();
        s->received++;
        gl_wire_req_t req;
        gl_wire_error_t err;
        gl_err_t rc = gl_wire_decode_req (zmq_msg_data (body), zmq_msg_size (body),
                                          &s->engine->limits, &req, &err);
        uint64_t wait_ms = s_rate_take (s, env);
        if (wait_ms) {
            s_refuse (s, env, &req, wait_ms);
            s_pending_release (env);
        }
        else if (rc != GL_OK) {
            if (rc != GL_EPROTO)
                gl_worker_internal_error (&err, rc);
            env->job = UINT64_MAX;  /* in use while we reply */
            s_reject_control (s, env, &req, &err, received);
            s_pending_release (env);
        }
        else if (req.kind == GL_WIRE_REQ_DOCUMENT) {
            if (s_control_document (s, env, &req, body, received)) {
                gl_wire_req_fini (&req);
                continue;       /* body moved to the worker */
            }
        }
        else if (req.kind == GL_WIRE_REQ_REPLAY) {
            s_replay (s, env, &req);
            s_pending_release (env);
        }
        else {
            msgpack_sbuffer sb;
            msgpack_sbuffer_init (&sb);
            int enc;
            if (req.kind == GL_WIRE_REQ_HEALTH)
                enc = gl_wire_encode_health (&sb, s->epoch, s->cfg.name,
                                             s->accepting);
            else {
                gl_wire_stats_t st;
                s_fill_stats (s, &st);
                enc = gl_wire_encode_stats (&sb, &st);
            }
            if (enc == 0)
                s_reply_encoded (s, env, &sb);
            msgpack_sbuffer_destroy (&sb);
            s_pending_release (env);
        }
        gl_wire_req_fini (&req);
        zmq_msg_close (body);
    }
}

static void
s_read_done (gl_server_t *s)
{
    for (int i = 0; i < GL_BATCH * 4; i++) {
        zmq_msg_t hdr, topic, body;
        zmq_msg_init (&hdr);
        if (zmq_msg_recv (&hdr, s->done, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close (&hdr);
            return;
        }
        zmq_msg_init (&topic);
        zmq_msg_init (&body);
        zmq_msg_recv (&topic, s->done, 0);
        zmq_msg_recv (&body, s->done, 0);
        gl_done_t d;
        memcpy (&d, zmq_msg_data (&hdr), sizeof d);
        zmq_msg_close (&hdr);
        if (d.rejected)
            s->rejected++;
        else
            s->linted++;
        for (size_t c = 0; c < GL_WORKER_CODES; c++)
            s->code_counts[c] += d.counts[c];
        gl_pending_t *env = d.kind == GL_JOB_CONTROL ? s_pending_find (s, d.job)
                                                     : NULL;
        s_publish (s, zmq_msg_data (&topic), zmq_msg_size (&topic), &body, env,
                   env ? env->key : 0);
        zmq_msg_close (&topic);
        if (env)
            s_pending_release (env);
        double latency = (s_now () - d.received) * 1000.0;
        s->latencies[s->n_latencies++ % GL_LATENCIES] = latency;
        s->in_flight--;
        s->in_flight_bytes -= d.bytes;
        s_engine_release (s, d.engine);
    }
}

/*  ---------------------------------------------------------------------
 *  The loop.                                                               */

/*  Asks every socket, even those we will not read now: asking is what
 *  clears a signalled fd, which would otherwise wake the loop again and
 *  again.                                                                  */
static bool
s_readable (gl_server_t *s)
{
    bool done = s_has (s->done, ZMQ_POLLIN);
    bool ingest = s_has (s->ingest, ZMQ_POLLIN);
    bool control = s_has (s->control, ZMQ_POLLIN);
    /* Draining, an empty ingest must be read once to learn that it is. */
    if (s->draining && s->ingest_open && s_capacity (s))
        ingest = true;
    return done || (s_can_take_ingest (s) && ingest)
           || (s_can_take (s) && control);
}

static void
s_maybe_finish (gl_server_t *s)
{
    if (s->stopping && !s->accepting && !s->ingest_open && s->in_flight == 0) {
        gl_log (GL_LOG_INFO, "all %llu requests taken were answered; exiting",
                (unsigned long long) s->received);
        ev_break (s->loop, EVBREAK_ALL);
    }
}

static void
s_on_prepare (struct ev_loop *loop, ev_prepare *w, int revents)
{
    (void) revents;
    gl_server_t *s = w->data;
    /* Ask ZMQ_EVENTS before blocking: the fds are edge-triggered. */
    if (s_readable (s))
        ev_idle_start (loop, &s->idle);
}

static void
s_on_check (struct ev_loop *loop, ev_check *w, int revents)
{
    (void) revents;
    gl_server_t *s = w->data;
    ev_idle_stop (loop, &s->idle);
    s_read_done (s);
    s_read_control (s);
    s_read_ingest (s);
    s_maybe_finish (s);
}

static void
s_on_wake (struct ev_loop *loop, ev_io *w, int revents)
{
    /* Only wakes the loop; ev_check reads. */
    (void) loop;
    (void) w;
    (void) revents;
}

static void
s_on_idle (struct ev_loop *loop, ev_idle *w, int revents)
{
    (void) loop;
    (void) w;
    (void) revents;
}

static void
s_on_stats (struct ev_loop *loop, ev_timer *w, int revents)
{
    (void) loop;
    (void) revents;
    s_publish_stats (w->data);
}

/*  Once a second: after a second with nothing published and nothing in
 *  flight, give the freed memory of the last burst back to the system.
 *  (glibc keeps what large documents and queues left behind; the RSS of an
 *  idle daemon then stays what it really uses.)                           */
static void
s_on_trim (struct ev_loop *loop, ev_timer *w, int revents)
{
    (void) loop;
    (void) revents;
    gl_server_t *s = w->data;
    if (s->published != s->last_activity || s->in_flight) {
        s->last_activity = s->published;
        s->trimmed = false;
        return;
    }
    if (!s->trimmed) {
#ifdef __GLIBC__
        malloc_trim (0);
#endif
        s->trimmed = true;
    }
}

static void
s_on_grace_over (struct ev_loop *loop, ev_timer *w, int revents)
{
    (void) loop;
    (void) revents;
    gl_server_t *s = w->data;
    /* No new control requests; ingest is read until it is empty, so that
     * what producers handed over before the signal is not lost. */
    s->accepting = false;
    s->draining = true;
    gl_log (GL_LOG_INFO, "no longer taking requests; draining ingest, %llu "
            "documents in flight", (unsigned long long) s->in_flight);
    s_maybe_finish (s);
}

static void
s_on_shutdown_timeout (struct ev_loop *loop, ev_timer *w, int revents)
{
    (void) revents;
    gl_server_t *s = w->data;
    gl_log (GL_LOG_ERROR, "shutdown timeout: %llu documents still in flight "
            "are lost", (unsigned long long) s->in_flight);
    ev_break (loop, EVBREAK_ALL);
}

static void
s_on_term (struct ev_loop *loop, ev_signal *w, int revents)
{
    (void) revents;
    gl_server_t *s = w->data;
    if (s->stopping)
        return;
    s->stopping = true;
    gl_notify_stopping ();
    gl_log (GL_LOG_INFO, "signal %d: finishing the %llu documents in flight",
            w->signum, (unsigned long long) s->in_flight);
    /* Documents already handed to the ingest socket count as taken: keep
     * reading for a short grace, then drain what is queued.  (No
     * zmq_unbind: it would close the accepted connections too, and drop
     * what is still in their buffers.) */
    ev_timer_set (&s->grace_timer, s->cfg.drain_grace, 0);
    ev_timer_start (loop, &s->grace_timer);
    ev_timer_set (&s->shutdown_timer, s->cfg.shutdown_timeout, 0);
    ev_timer_start (loop, &s->shutdown_timer);
}

static void
s_apply_runtime (gl_server_t *s)
{
    gl_log_set_level (s->cfg.log_level);
    /* Frames up to max_message are decoded; up to twice that they are read
     * to be rejected (GID003, the sender told why); past that libzmq drops
     * the connection rather than hold the bytes.                           */
    int64_t maxmsg = (int64_t) s->cfg.max_message * 2;
    zmq_setsockopt (s->ingest, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt (s->control, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    ev_timer_stop (s->loop, &s->stats_timer);
    if (s->cfg.stats_interval > 0) {
        ev_timer_set (&s->stats_timer, s->cfg.stats_interval,
                      s->cfg.stats_interval);
        ev_timer_start (s->loop, &s->stats_timer);
    }
}

static void
s_on_hup (struct ev_loop *loop, ev_signal *w, int revents)
{
    (void) loop;
    (void) revents;
    gl_server_t *s = w->data;
    gl_config_t cfg = s->cfg;
    char err[512];
    gl_notify_reloading ();     /* READY=1 again at every way out */
    if (gl_config_resolve (&cfg, s->flags, err, sizeof err) < 0) {
        gl_log (GL_LOG_ERROR, "reload failed, configuration unchanged: %s", err);
        gl_notify_ready ("reload failed, configuration unchanged");
        return;
    }
    gl_eng_ref_t *ref = s_engine_new (&cfg);
    if (!ref) {
        gl_log (GL_LOG_ERROR, "reload failed, configuration unchanged");
        gl_notify_ready ("reload failed, configuration unchanged");
        return;
    }
    /* Keep what only changes on restart (GL_RESTART in the table). */
    char kept[512];
    if (gl_config_keep (&cfg, &s->cfg, kept, sizeof kept))
        gl_log (GL_LOG_WARN, "reload: %s change only on restart; kept as they "
                "are", kept);
    /* The allowed client keys: the directory is read again. */
    if (s->zap && cfg.allowed_keys_dir[0])
        gl_zap_reload (s->zap, cfg.allowed_keys_dir);
    if (cfg.max_in_flight > (int) s->n_pending_slots)
        cfg.max_in_flight = (int) s->n_pending_slots;
    gl_eng_ref_t *old = s->engine;
    s->engine = ref;
    s->cfg = cfg;
    /* The old engine goes when its last in-flight document is published. */
    old->refs++;
    s_engine_release (s, old);
    s_apply_runtime (s);
    gl_log (GL_LOG_INFO, "configuration reloaded (%zu rule settings)",
            cfg.n_rules);
    gl_notify_ready ("configuration reloaded");
}

/*  ---------------------------------------------------------------------
 *  Set-up and tear-down.                                                   */

/*  Attaches sock to every endpoint of a comma-separated list, czmq's way:
 *  "tcp://…" or "@tcp://…" binds, ">tcp://…" connects.  A daemon behind
 *  gidlint-broker connects all three sockets to the broker's backends
 *  (docs/deploy.md); one on its own binds them.                            */
static int
s_attach (void *sock, const char *list)
{
    char buf[sizeof ((gl_config_t *) 0)->control];
    snprintf (buf, sizeof buf, "%s", list);
    char *save = NULL;
    int n = 0;
    for (char *ep = strtok_r (buf, ", \t", &save); ep;
         ep = strtok_r (NULL, ", \t", &save), n++) {
        bool connect = *ep == '>';
        if (*ep == '>' || *ep == '@')
            ep++;
        if ((connect ? zmq_connect (sock, ep) : zmq_bind (sock, ep)) != 0) {
            gl_log (GL_LOG_ERROR, "cannot %s %s: %s", connect ? "connect to" : "bind",
                    ep, zmq_strerror (zmq_errno ()));
            return -1;
        }
    }
    if (n == 0) {
        gl_log (GL_LOG_ERROR, "no endpoint in '%s'", list);
        return -1;
    }
    return 0;
}

static void *
s_socket (gl_server_t *s, int type, const char *endpoints, int hwm_opt, int hwm)
{
    void *sock = zmq_socket (s->ctx, type);
    if (!sock)
        return NULL;
    int linger = 2000;
    zmq_setsockopt (sock, ZMQ_LINGER, &linger, sizeof linger);
    if (hwm_opt)
        zmq_setsockopt (sock, hwm_opt, &hwm, sizeof hwm);
    if (type == ZMQ_ROUTER) {
        /* Known by name to the broker's route backend, which sends replays
         * and requests addressed to this daemon (docs/deploy.md). */
        zmq_setsockopt (sock, ZMQ_ROUTING_ID, s->cfg.name, strlen (s->cfg.name));
    }
    /* With CURVE on, every socket a client can reach is a CURVE server
     * whose ZAP domain is its endpoint, or, when it connects to a broker,
     * the broker's CURVE client; the workers' inproc ones stay inside the
     * process. */
    if (s->zap && strncmp (endpoints, "inproc://", 9) != 0) {
        if (strchr (endpoints, '>') && !gl_config_connects (endpoints)) {
            gl_log (GL_LOG_ERROR, "%s: with CURVE a socket is a server (binds) or "
                    "a client (connects), not both", endpoints);
            zmq_close (sock);
            return NULL;
        }
        int rc = gl_config_connects (endpoints) ? gl_zap_client (s->zap, sock)
                                        : gl_zap_secure (s->zap, sock, endpoints);
        if (rc != 0) {
            gl_log (GL_LOG_ERROR, "cannot secure %s with CURVE: %s", endpoints,
                    zmq_strerror (zmq_errno ()));
            zmq_close (sock);
            return NULL;
        }
    }
    if (s_attach (sock, endpoints) != 0) {
        zmq_close (sock);
        return NULL;
    }
    return sock;
}

static void
s_watch_fd (gl_server_t *s, ev_io *io, void *sock)
{
    int fd;
    size_t len = sizeof fd;
    zmq_getsockopt (sock, ZMQ_FD, &fd, &len);
    ev_io_init (io, s_on_wake, fd, EV_READ);
    io->data = s;
    ev_io_start (s->loop, io);
}

static int
s_start_workers (gl_server_t *s)
{
    int n = s->cfg.workers;
    if (n <= 0) {
        long cores = sysconf (_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (int) cores : 1;
    }
    s->n_workers = n;
    s->threads = calloc ((size_t) n, sizeof *s->threads);
    s->workers = calloc ((size_t) n, sizeof *s->workers);
    if (!s->threads || !s->workers)
        return -1;
    /* Workers must not take signals: the loop's ev_signal watchers do. */
    sigset_t all, old;
    sigfillset (&all);
    pthread_sigmask (SIG_SETMASK, &all, &old);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        s->workers[i].ctx = s->ctx;
        s->workers[i].index = i;
        s->workers[i].epoch = s->epoch;
        s->workers[i].daemon = s->cfg.name;
        rc = pthread_create (&s->threads[i], NULL, gl_worker_main, &s->workers[i]);
        if (rc != 0)
            s->n_workers = i;
    }
    pthread_sigmask (SIG_SETMASK, &old, NULL);
    return rc == 0 ? 0 : -1;
}

int
gl_server_run (const gl_config_t *cfg, const gl_flags_t *flags)
{
    gl_server_t *s = calloc (1, sizeof *s);
    if (!s)
        return 1;
    int status = 1;
    s->cfg = *cfg;
    s->flags = flags;
    s->started = s_now ();
    s->accepting = true;
    s->ingest_open = true;
    if (getrandom (&s->epoch, sizeof s->epoch, 0) != sizeof s->epoch)
        s->epoch = (uint64_t) s->started ^ ((uint64_t) getpid () << 32);
    /* 53 bits: exact in JSON numbers and JavaScript, never 0. */
    s->epoch = (s->epoch & ((UINT64_C (1) << 53) - 1)) | 1;
    gl_log_set_level (cfg->log_level);
    signal (SIGPIPE, SIG_IGN);

    s->engine = s_engine_new (&s->cfg);
    s->n_pending_slots = (size_t) s->cfg.max_in_flight;
    s->pending = calloc (s->n_pending_slots ? s->n_pending_slots : 1,
                         sizeof *s->pending);
    s->ring = gl_ring_new ((size_t) (s->cfg.ring_size > 0 ? s->cfg.ring_size : 1),
                           s->cfg.ring_bytes);
    s->rate = gl_rate_new ();
    s->ctx = zmq_ctx_new ();
    s->loop = ev_default_loop (EVFLAG_AUTO);
    if (!s->engine || !s->pending || !s->ring || !s->rate || !s->ctx || !s->loop)
        goto out;
    /* The ZAP handler is bound before the sockets are (gl_zap.c). */
    if (s->cfg.curve) {
        char err[1024];
        s->zap = gl_zap_start (s->ctx, s->cfg.secret_key_file,
                               s->cfg.allowed_keys_dir, err, sizeof err);
        if (!s->zap) {
            gl_log (GL_LOG_ERROR, "cannot start: %s", err);
            status = 2;
            goto out;
        }
        bool behind_broker = gl_config_connects (s->cfg.ingest)
                             || gl_config_connects (s->cfg.results)
                             || gl_config_connects (s->cfg.control);
        if (behind_broker && !s->cfg.broker_key_file[0]) {
            gl_log (GL_LOG_ERROR, "cannot start: security.curve is on and the "
                    "daemon connects to a broker, but security.broker_key_file "
                    "is not set");
            status = 2;
            goto out;
        }
        if (s->cfg.broker_key_file[0]
            && gl_zap_broker_key (s->zap, s->cfg.broker_key_file, err, sizeof err) != 0) {
            gl_log (GL_LOG_ERROR, "cannot start: %s", err);
            status = 2;
            goto out;
        }
    }

    s->ingest = s_socket (s, ZMQ_PULL, s->cfg.ingest, ZMQ_RCVHWM, s->cfg.ingest_hwm);
    s->results = s_socket (s, ZMQ_PUB, s->cfg.results, ZMQ_SNDHWM, s->cfg.results_hwm);
    s->control = s_socket (s, ZMQ_ROUTER, s->cfg.control, ZMQ_RCVHWM, s->cfg.control_hwm);
    if (!s->ingest || !s->results || !s->control)
        goto out;
    int jobs_hwm = s->cfg.max_in_flight * 2 + 16;
    s->jobs = s_socket (s, ZMQ_PUSH, GL_WORKER_JOBS, ZMQ_SNDHWM, jobs_hwm);
    s->done = s_socket (s, ZMQ_PULL, GL_WORKER_DONE, ZMQ_RCVHWM, jobs_hwm);
    if (!s->jobs || !s->done || s_start_workers (s) != 0)
        goto out;
    zmq_setsockopt (s->control, ZMQ_SNDHWM, &s->cfg.control_hwm, sizeof (int));

    s_watch_fd (s, &s->io_ingest, s->ingest);
    s_watch_fd (s, &s->io_control, s->control);
    s_watch_fd (s, &s->io_done, s->done);
    ev_prepare_init (&s->prepare, s_on_prepare);
    ev_check_init (&s->check, s_on_check);
    ev_idle_init (&s->idle, s_on_idle);
    s->prepare.data = s->check.data = s->idle.data = s;
    ev_prepare_start (s->loop, &s->prepare);
    ev_check_start (s->loop, &s->check);
    ev_signal_init (&s->sig_term, s_on_term, SIGTERM);
    ev_signal_init (&s->sig_int, s_on_term, SIGINT);
    ev_signal_init (&s->sig_hup, s_on_hup, SIGHUP);
    s->sig_term.data = s->sig_int.data = s->sig_hup.data = s;
    ev_signal_start (s->loop, &s->sig_term);
    ev_signal_start (s->loop, &s->sig_int);
    ev_signal_start (s->loop, &s->sig_hup);
    ev_init (&s->stats_timer, s_on_stats);
    ev_init (&s->grace_timer, s_on_grace_over);
    ev_init (&s->shutdown_timer, s_on_shutdown_timeout);
    ev_timer_init (&s->trim_timer, s_on_trim, 1.0, 1.0);
    s->stats_timer.data = s->grace_timer.data = s->shutdown_timer.data = s;
    s->trim_timer.data = s;
    ev_timer_start (s->loop, &s->trim_timer);
    s_apply_runtime (s);

    gl_log (GL_LOG_INFO, "gidlintd %s '%s' epoch %016llx: ingest %s, results %s, "
            "control %s, %d workers", GL_VERSION_STRING, s->cfg.name,
            (unsigned long long) s->epoch, s->cfg.ingest, s->cfg.results,
            s->cfg.control, s->n_workers);
    /* Every socket bound, the workers running: started, for systemd. */
    gl_notify_ready (NULL);
    gl_notify_status ("epoch %016llx: ingest %s, results %s, control %s",
                      (unsigned long long) s->epoch, s->cfg.ingest,
                      s->cfg.results, s->cfg.control);
    ev_run (s->loop, 0);
    /* Last word: the final counters on the stats topic. */
    s_publish_stats (s);
    status = s->in_flight == 0 ? 0 : 1;

out:
    if (s->ctx) {
        void **socks[] = { &s->ingest, &s->control, &s->results, &s->jobs, &s->done };
        for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
            if (*socks[i]) {
                zmq_close (*socks[i]);
                *socks[i] = NULL;
            }
        /* Unblocks the workers (ETERM), then waits for lingering sends. */
        zmq_ctx_shutdown (s->ctx);
        for (int i = 0; i < s->n_workers; i++)
            pthread_join (s->threads[i], NULL);
        gl_zap_stop (&s->zap);
        zmq_ctx_term (s->ctx);
    }
    for (size_t i = 0; s->pending && i < s->n_pending_slots; i++)
        if (s->pending[i].job)
            s_pending_release (&s->pending[i]);
    free (s->pending);
    gl_ring_destroy (&s->ring);
    gl_rate_destroy (&s->rate);
    free (s->threads);
    free (s->workers);
    if (s->engine) {
        gl_engine_destroy (&s->engine->engine);
        free (s->engine);
    }
    if (s->loop)
        ev_loop_destroy (s->loop);
    free (s);
    return status;
}
