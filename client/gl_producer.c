/*  gl_producer.c: the reliable producer of gl_producer.h.
 *
 *  State: `window` slots, each a document in flight: its encoded message
 *  (kept until answered), when it was first sent, when it is due again.
 *  One DEALER socket talks to the daemon's ROUTER as a REQ would (an empty
 *  delimiter frame, then the message), so many requests can be out at once
 *  and answers come back in any order, matched by the document id.
 *
 *  ZMQ_IMMEDIATE keeps messages off connections that are not complete: a
 *  send while the daemon is away fails at once (EAGAIN) and is retried,
 *  rather than queued into a pipe that a reconnection throws away.  What a
 *  crash loses in flight (in the kernel, in the daemon) comes back by the
 *  timeout; a new epoch in an answer from a daemon means that daemon
 *  restarted and lost what it held, and everything sent before is resent
 *  at once instead of waiting.
 *
 *  Behind gidlint-broker the answers come from several daemons, each with
 *  its own name and epoch, so epochs are kept per daemon name: answers of
 *  d1 and d2 in turn are not restarts.  Which daemon a document went to is
 *  known only from its answer, so a restart resends everything in flight;
 *  documents the other daemons still hold may then be linted twice, and
 *  their second answers are dropped as duplicates.
 */
#define _POSIX_C_SOURCE 200809L
#include "gidlint/gl_producer.h"
#include "gl_wire.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_UNSENT_RETRY 0.05     /* seconds between tries while disconnected */

typedef struct {
    bool used;
    bool sent;                  /* false: waiting for a connection           */
    char *id;
    char *msg;                  /* the encoded document                      */
    size_t size;
    double submitted;           /* when it was handed over                   */
    double first_sent;          /* 0: never sent                             */
    double due;                 /* when to send (again)                      */
    double timeout;             /* current resend timeout                    */
    uint64_t gen;               /* restarts seen when it was last sent       */
} s_slot_t;

#define S_DAEMONS 64            /* daemons whose epochs are followed         */

typedef struct {
    char name[64];
    uint64_t epoch;
} s_daemon_t;

struct gl_producer {
    gl_producer_opts_t o;
    void *ctx;
    bool own_ctx;
    void *sock;
    s_slot_t *slots;
    size_t pending;
    s_daemon_t daemons[S_DAEMONS];  /* the last epoch of each daemon heard    */
    size_t n_daemons;
    gl_producer_stats_t st;
};

static double
s_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static bool
s_interrupted (const gl_producer_t *p)
{
    return p->o.interrupted && *p->o.interrupted;
}

gl_producer_t *
gl_producer_new (const gl_producer_opts_t *opts)
{
    if (!opts || !opts->endpoint || !opts->on_reply) {
        errno = EINVAL;
        return NULL;
    }
    gl_producer_t *p = calloc (1, sizeof *p);
    if (!p)
        return NULL;
    p->o = *opts;
    if (!p->o.window)
        p->o.window = 32;
    if (p->o.timeout <= 0)
        p->o.timeout = 5;
    if (p->o.max_timeout < p->o.timeout)
        p->o.max_timeout = p->o.timeout > 60 ? p->o.timeout : 60;
    p->slots = calloc (p->o.window, sizeof *p->slots);
    p->ctx = opts->zmq_ctx;
    if (!p->ctx) {
        p->ctx = zmq_ctx_new ();
        p->own_ctx = true;
    }
    if (p->slots && p->ctx)
        p->sock = zmq_socket (p->ctx, ZMQ_DEALER);
    int err = ENOMEM;
    if (p->sock) {
        int zero = 0, one = 1, ivl = 100, ivl_max = 2000;
        zmq_setsockopt (p->sock, ZMQ_LINGER, &zero, sizeof zero);
        zmq_setsockopt (p->sock, ZMQ_IMMEDIATE, &one, sizeof one);
        zmq_setsockopt (p->sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
        zmq_setsockopt (p->sock, ZMQ_RECONNECT_IVL_MAX, &ivl_max, sizeof ivl_max);
        err = EINVAL;
        if ((!p->o.configure || p->o.configure (p->sock, p->o.configure_arg) == 0)
            && zmq_connect (p->sock, p->o.endpoint) == 0)
            return p;
        if (zmq_errno ())
            err = zmq_errno ();
    }
    gl_producer_destroy (&p);
    errno = err;
    return NULL;
}

static void
s_slot_free (gl_producer_t *p, s_slot_t *s)
{
    free (s->id);
    free (s->msg);
    memset (s, 0, sizeof *s);
    p->pending--;
}

void
gl_producer_destroy (gl_producer_t **pp)
{
    if (!pp || !*pp)
        return;
    gl_producer_t *p = *pp;
    for (size_t i = 0; p->slots && i < p->o.window; i++)
        if (p->slots[i].used)
            s_slot_free (p, &p->slots[i]);
    if (p->sock)
        zmq_close (p->sock);
    if (p->own_ctx && p->ctx)
        zmq_ctx_term (p->ctx);
    free (p->slots);
    free (p);
    *pp = NULL;
}

size_t
gl_producer_pending (const gl_producer_t *p)
{
    return p ? p->pending : 0;
}

void
gl_producer_stats (const gl_producer_t *p, gl_producer_stats_t *st)
{
    if (p && st)
        *st = p->st;
}

static s_slot_t *
s_find (gl_producer_t *p, const char *id, size_t len)
{
    for (size_t i = 0; i < p->o.window; i++) {
        s_slot_t *s = &p->slots[i];
        if (s->used && strlen (s->id) == len && memcmp (s->id, id, len) == 0)
            return s;
    }
    return NULL;
}

/*  ---------------------------------------------------------------------
 *  Sending.                                                                */

/*  One try at sending slot s now: [""][message].  False when the daemon
 *  is not connected (the slot stays due).                                  */
static bool
s_send (gl_producer_t *p, s_slot_t *s, double now)
{
    if (zmq_send (p->sock, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
        return false;
    /* The first frame went: the second goes too (a multipart message is
     * queued whole, or not at all). */
    if (zmq_send (p->sock, s->msg, s->size, ZMQ_DONTWAIT) < 0)
        return false;
    p->st.sends++;
    if (s->first_sent == 0)
        s->first_sent = now;
    else
        p->st.resends++;
    s->sent = true;
    s->gen = p->st.restarts;
    s->due = now + s->timeout;
    s->timeout = fmin (s->timeout * 2, p->o.max_timeout);
    return true;
}

/*  Gives up what is too old, sends what is due.  Returns when the next
 *  slot falls due (a huge value when none).                               */
static double
s_send_due (gl_producer_t *p, double now)
{
    double next = HUGE_VAL;
    for (size_t i = 0; i < p->o.window; i++) {
        s_slot_t *s = &p->slots[i];
        if (!s->used)
            continue;
        if (p->o.give_up > 0 && now - s->submitted >= p->o.give_up) {
            p->st.gave_up++;
            char *id = s->id;
            s->id = NULL;
            s_slot_free (p, s);
            p->o.on_reply (p->o.reply_arg, id, GL_PRODUCER_GAVE_UP, NULL, 0);
            free (id);
            continue;
        }
        if (s->due <= now && !s_send (p, s, now))
            s->due = now + S_UNSENT_RETRY;
        if (s->due < next)
            next = s->due;
    }
    return next;
}

/*  ---------------------------------------------------------------------
 *  Answers.                                                                */

static const gl_wire_limits_t s_limits = {
    .max_message = (size_t) 1 << 30, .max_body = 0,
    .max_depth = GL_WIRE_MAX_DEPTH
};

static bool
s_type (const gl_wire_msg_t *m, const char *type)
{
    return m->type_len == strlen (type) && memcmp (m->type, type, m->type_len) == 0;
}

/*  Notes the epoch of the daemon that answered.  A new epoch of a daemon
 *  already heard from is a restart: what went to the old one and is not
 *  answered will not be; send it again now.                                */
static void
s_note_epoch (gl_producer_t *p, const gl_wire_msg_t *m, double now)
{
    uint64_t epoch;
    const char *name = "";
    size_t len = 0;
    if (!gl_wire_get_u64 (&m->root, "epoch", &epoch) || epoch == 0)
        return;
    if (!gl_wire_get_str (&m->root, "daemon", &name, &len)
        || len >= sizeof p->daemons[0].name)
        len = 0;
    s_daemon_t *d = NULL;
    for (size_t i = 0; i < p->n_daemons && !d; i++)
        if (strlen (p->daemons[i].name) == len
            && memcmp (p->daemons[i].name, name, len) == 0)
            d = &p->daemons[i];
    if (!d) {
        if (p->n_daemons == S_DAEMONS)
            return;     /* not followed: timeouts still resend */
        d = &p->daemons[p->n_daemons++];
        memcpy (d->name, name, len);
        d->name[len] = '\0';
        d->epoch = epoch;
        return;         /* the first we hear of it: nothing is lost */
    }
    if (d->epoch == epoch)
        return;
    d->epoch = epoch;
    uint64_t gen = p->st.restarts++;
    for (size_t i = 0; i < p->o.window; i++) {
        s_slot_t *s = &p->slots[i];
        if (s->used && s->sent && s->gen <= gen)
            s->due = now;
    }
}

static void
s_answer (gl_producer_t *p, const void *data, size_t size, double now)
{
    gl_wire_msg_t m;
    gl_wire_error_t err;
    if (gl_wire_decode_msg (data, size, &s_limits, &m, &err) != GL_OK) {
        gl_wire_msg_fini (&m);
        return;
    }
    s_note_epoch (p, &m, now);
    const char *id;
    size_t id_len;
    bool result = s_type (&m, "result"), reject = s_type (&m, "reject");
    bool refused = s_type (&m, "refused");
    s_slot_t *s = (result || reject || refused)
                          && gl_wire_get_str (&m.root, "id", &id, &id_len)
                      ? s_find (p, id, id_len)
                      : NULL;
    if (refused) {
        /* Over the daemon's rate limit: nothing was taken; send again when
         * it says, without counting that as a timeout. */
        uint64_t ms = 0;
        gl_wire_get_u64 (&m.root, "retry_after_ms", &ms);
        p->st.refused++;
        if (s) {
            s->due = now + (double) ms / 1000.0;
            s->timeout = fmax (s->timeout / 2, p->o.timeout);
        }
    }
    else if ((result || reject) && !s)
        p->st.duplicates++;
    else if (s) {
        char *sid = s->id;
        s->id = NULL;
        s_slot_free (p, s);
        p->st.answered++;
        p->o.on_reply (p->o.reply_arg, sid,
                       result ? GL_PRODUCER_RESULT : GL_PRODUCER_REJECT, data,
                       size);
        free (sid);
    }
    gl_wire_msg_fini (&m);
}

/*  Reads every answer waiting on the socket.                               */
static void
s_read (gl_producer_t *p, double now)
{
    for (;;) {
        zmq_msg_t frames[2];
        size_t n = 0, total = 0;
        for (;;) {
            zmq_msg_t m;
            zmq_msg_init (&m);
            if (zmq_msg_recv (&m, p->sock, total ? 0 : ZMQ_DONTWAIT) < 0) {
                zmq_msg_close (&m);
                break;
            }
            bool more = zmq_msg_more (&m);
            total++;
            if (n < 2) {
                zmq_msg_init (&frames[n]);
                zmq_msg_move (&frames[n++], &m);
            }
            zmq_msg_close (&m);
            if (!more)
                break;
        }
        if (total == 0)
            return;
        if (total == 2 && zmq_msg_size (&frames[0]) == 0)
            s_answer (p, zmq_msg_data (&frames[1]), zmq_msg_size (&frames[1]), now);
        for (size_t i = 0; i < n; i++)
            zmq_msg_close (&frames[i]);
    }
}

/*  Serves until done(p) holds or the deadline (s_now() time; HUGE_VAL:
 *  none) passes.  Returns 0, or -1 (EINTR).                                */
static int
s_serve (gl_producer_t *p, double deadline, bool (*done) (const gl_producer_t *))
{
    for (;;) {
        double now = s_now ();
        s_read (p, now);
        if (done (p) || now >= deadline)
            return 0;
        if (s_interrupted (p)) {
            errno = EINTR;
            return -1;
        }
        double next = fmin (s_send_due (p, now), deadline);
        if (done (p))
            return 0;
        /* Wake at least every 100 ms to look at *interrupted. */
        double wait = fmin (fmax (next - now, 0), 0.1);
        zmq_pollitem_t item = { p->sock, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll (&item, 1, (long) ceil (wait * 1000.0)) < 0
            && zmq_errno () != EINTR) {
            errno = zmq_errno ();
            return -1;
        }
    }
}

static bool
s_has_room (const gl_producer_t *p)
{
    return p->pending < p->o.window;
}

static bool
s_idle (const gl_producer_t *p)
{
    return p->pending == 0;
}

int
gl_producer_submit (gl_producer_t *p, const gl_producer_doc_t *doc)
{
    if (!p || !doc || !doc->id || (!doc->body && doc->body_len)) {
        errno = EINVAL;
        return -1;
    }
    if (s_find (p, doc->id, strlen (doc->id))) {
        errno = EEXIST;
        return -1;
    }
    if (!s_has_room (p) && s_serve (p, HUGE_VAL, s_has_room) < 0)
        return -1;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_doc_t w = { .id = doc->id, .body = doc->body,
                        .body_len = doc->body_len, .name = doc->name,
                        .source = doc->source, .lang = doc->lang };
    s_slot_t *s = NULL;
    for (size_t i = 0; i < p->o.window && !s; i++)
        if (!p->slots[i].used)
            s = &p->slots[i];
    char *id = strdup (doc->id);
    if (!id || gl_wire_encode_document (&sb, &w) != 0) {
        free (id);
        msgpack_sbuffer_destroy (&sb);
        errno = ENOMEM;
        return -1;
    }
    *s = (s_slot_t) { .used = true, .id = id, .size = sb.size,
                      .timeout = p->o.timeout };
    s->msg = msgpack_sbuffer_release (&sb);
    p->pending++;
    p->st.submitted++;
    double now = s_now ();
    s->submitted = now;
    if (!s_send (p, s, now))
        s->due = now + S_UNSENT_RETRY;
    return 0;
}

long
gl_producer_wait (gl_producer_t *p, double timeout)
{
    if (!p) {
        errno = EINVAL;
        return -1;
    }
    double deadline = timeout < 0 ? HUGE_VAL : s_now () + timeout;
    if (s_serve (p, deadline, s_idle) < 0)
        return -1;
    return (long) p->pending;
}
