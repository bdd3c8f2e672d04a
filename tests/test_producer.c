/*  test_producer.c: the reliable producer (gl_producer.h) against a ROUTER
 *  socket the test drives by hand, on tcp loopback: answers withheld,
 *  answered twice, refused, a new daemon epoch, a document given up.      */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <msgpack.h>
#include <zmq.h>

#include "gidlint/gl_producer.h"
#include "gl_wire.h"

typedef struct {
    int n;
    char ids[16][32];
    gl_producer_outcome_t outcome[16];
} s_got_t;

static void
s_on_reply (void *arg, const char *id, gl_producer_outcome_t outcome,
            const void *message, size_t size)
{
    s_got_t *g = arg;
    assert_true (g->n < 16);
    assert_true ((outcome == GL_PRODUCER_GAVE_UP) == (message == NULL));
    (void) size;
    snprintf (g->ids[g->n], sizeof g->ids[0], "%s", id);
    g->outcome[g->n++] = outcome;
}

typedef struct {
    void *ctx, *router;
    char endpoint[64];
    s_got_t got;
    gl_producer_t *p;
} s_fix_t;

static void
s_setup (s_fix_t *f, double timeout, double give_up)
{
    memset (f, 0, sizeof *f);
    f->ctx = zmq_ctx_new ();
    f->router = zmq_socket (f->ctx, ZMQ_ROUTER);
    int zero = 0;
    zmq_setsockopt (f->router, ZMQ_LINGER, &zero, sizeof zero);
    assert_int_equal (zmq_bind (f->router, "tcp://127.0.0.1:*"), 0);
    size_t len = sizeof f->endpoint;
    zmq_getsockopt (f->router, ZMQ_LAST_ENDPOINT, f->endpoint, &len);
    gl_producer_opts_t o = { .endpoint = f->endpoint, .zmq_ctx = f->ctx,
                             .window = 4, .timeout = timeout,
                             .max_timeout = timeout * 4, .give_up = give_up,
                             .on_reply = s_on_reply, .reply_arg = &f->got };
    f->p = gl_producer_new (&o);
    assert_non_null (f->p);
}

static void
s_teardown (s_fix_t *f)
{
    gl_producer_destroy (&f->p);
    zmq_close (f->router);
    zmq_ctx_term (f->ctx);
}

static void
s_submit (s_fix_t *f, const char *id)
{
    gl_producer_doc_t d = { .id = id, .body = "report", .body_len = 6,
                            .source = "test" };
    assert_int_equal (gl_producer_submit (f->p, &d), 0);
}

/*  A request as the ROUTER sees it: the peer's routing id and the id of
 *  the document.  Waits up to ms; false when nothing came.                */
typedef struct {
    zmq_msg_t peer;
    char id[32];
    char type[16];
} s_req_t;

static bool
s_next (s_fix_t *f, s_req_t *r, long ms)
{
    zmq_pollitem_t item = { f->router, 0, ZMQ_POLLIN, 0 };
    /* The producer does its work in its own calls: let it run meanwhile. */
    struct timespec t0;
    clock_gettime (CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (zmq_poll (&item, 1, 0) > 0)
            break;
        struct timespec t;
        clock_gettime (CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
            return false;
        gl_producer_wait (f->p, 0.01);
    }
    zmq_msg_init (&r->peer);
    zmq_msg_recv (&r->peer, f->router, 0);
    zmq_msg_t empty, body;
    zmq_msg_init (&empty);
    zmq_msg_init (&body);
    zmq_msg_recv (&empty, f->router, 0);
    assert_int_equal (zmq_msg_size (&empty), 0);
    zmq_msg_recv (&body, f->router, 0);
    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (zmq_msg_data (&body), zmq_msg_size (&body),
                                          NULL, &req, &err), GL_OK);
    snprintf (r->id, sizeof r->id, "%.*s", (int) req.id_len, req.id);
    gl_wire_req_fini (&req);
    zmq_msg_close (&empty);
    zmq_msg_close (&body);
    return true;
}

/*  Answers r with a message of type (result, reject, refused) from the
 *  daemon of that name (NULL: none given) and epoch.                       */
static void
s_answer_from (s_fix_t *f, s_req_t *r, const char *daemon, const char *type,
               uint64_t epoch, uint64_t retry_ms, bool keep_peer)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    msgpack_packer pk;
    msgpack_packer_init (&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map (&pk, daemon ? 6 : 5);
    if (daemon) {
        msgpack_pack_str_with_body (&pk, "daemon", 6);
        msgpack_pack_str_with_body (&pk, daemon, strlen (daemon));
    }
    msgpack_pack_str_with_body (&pk, "v", 1);
    msgpack_pack_uint64 (&pk, 1);
    msgpack_pack_str_with_body (&pk, "type", 4);
    msgpack_pack_str_with_body (&pk, type, strlen (type));
    msgpack_pack_str_with_body (&pk, "epoch", 5);
    msgpack_pack_uint64 (&pk, epoch);
    msgpack_pack_str_with_body (&pk, "id", 2);
    msgpack_pack_str_with_body (&pk, r->id, strlen (r->id));
    msgpack_pack_str_with_body (&pk, "retry_after_ms", 14);
    msgpack_pack_uint64 (&pk, retry_ms);
    zmq_msg_t peer;
    zmq_msg_init (&peer);
    zmq_msg_copy (&peer, &r->peer);
    zmq_msg_send (&peer, f->router, ZMQ_SNDMORE);
    zmq_send (f->router, "", 0, ZMQ_SNDMORE);
    zmq_send (f->router, sb.data, sb.size, 0);
    msgpack_sbuffer_destroy (&sb);
    if (!keep_peer)
        zmq_msg_close (&r->peer);
}

static void
s_answer (s_fix_t *f, s_req_t *r, const char *type, uint64_t epoch,
          uint64_t retry_ms, bool keep_peer)
{
    s_answer_from (f, r, NULL, type, epoch, retry_ms, keep_peer);
}

/*  Every document answered once, in any order; a pending id is refused.    */
static void
test_answers (void **state)
{
    (void) state;
    s_fix_t f;
    s_setup (&f, 5, 0);
    s_submit (&f, "a");
    s_submit (&f, "b");
    gl_producer_doc_t dup = { .id = "a", .body = "x", .body_len = 1 };
    assert_int_equal (gl_producer_submit (f.p, &dup), -1);
    assert_int_equal (errno, EEXIST);
    s_req_t r1, r2;
    assert_true (s_next (&f, &r1, 2000));
    assert_true (s_next (&f, &r2, 2000));
    s_answer (&f, &r2, "reject", 7, 0, false);
    s_answer (&f, &r1, "result", 7, 0, false);
    assert_int_equal (gl_producer_wait (f.p, 2), 0);
    assert_int_equal (f.got.n, 2);
    assert_string_equal (f.got.ids[0], r2.id);
    assert_int_equal (f.got.outcome[0], GL_PRODUCER_REJECT);
    assert_int_equal (f.got.outcome[1], GL_PRODUCER_RESULT);
    gl_producer_stats_t st;
    gl_producer_stats (f.p, &st);
    assert_int_equal (st.submitted, 2);
    assert_int_equal (st.sends, 2);
    assert_int_equal (st.resends, 0);
    assert_int_equal (st.answered, 2);
    s_teardown (&f);
}

/*  No answer in time: the same bytes again; both answered: one call.      */
static void
test_resend_and_duplicate (void **state)
{
    (void) state;
    s_fix_t f;
    s_setup (&f, 0.1, 0);
    s_submit (&f, "slow");
    s_req_t r1, r2;
    assert_true (s_next (&f, &r1, 2000));
    assert_true (s_next (&f, &r2, 2000));        /* the resend, ~0.1 s on */
    assert_string_equal (r2.id, "slow");
    s_answer (&f, &r1, "result", 7, 0, false);
    s_answer (&f, &r2, "result", 7, 0, false);
    assert_int_equal (gl_producer_wait (f.p, 0.3), 0);
    assert_int_equal (f.got.n, 1);
    /* The wait returns once the first answer is in; the second may still
     * be on its way: read until it is (2 s at most). */
    gl_producer_stats_t st;
    gl_producer_stats (f.p, &st);
    for (int i = 0; i < 200 && st.duplicates == 0; i++) {
        nanosleep (&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
        gl_producer_wait (f.p, 0);
        gl_producer_stats (f.p, &st);
    }
    assert_int_equal (f.got.n, 1);
    assert_true (st.resends >= 1);
    assert_int_equal (st.duplicates, 1);
    s_teardown (&f);
}

/*  refused: sent again after retry_after_ms, not before.                   */
static void
test_refused (void **state)
{
    (void) state;
    s_fix_t f;
    s_setup (&f, 10, 0);
    s_submit (&f, "r");
    s_req_t r1, r2;
    assert_true (s_next (&f, &r1, 2000));
    s_answer (&f, &r1, "refused", 7, 300, false);
    assert_false (s_next (&f, &r2, 150));
    assert_true (s_next (&f, &r2, 2000));
    s_answer (&f, &r2, "result", 7, 0, false);
    assert_int_equal (gl_producer_wait (f.p, 2), 0);
    gl_producer_stats_t st;
    gl_producer_stats (f.p, &st);
    assert_int_equal (st.refused, 1);
    assert_int_equal (f.got.n, 1);
    s_teardown (&f);
}

/*  An answer from a new epoch: what the old daemon had is sent again at
 *  once, long before its 10 s timeout.                                     */
static void
test_new_epoch (void **state)
{
    (void) state;
    s_fix_t f;
    s_setup (&f, 10, 0);
    s_submit (&f, "first");
    s_req_t a, b, c, again;
    assert_true (s_next (&f, &a, 2000));
    s_answer (&f, &a, "result", 1, 0, false);
    s_submit (&f, "lost");
    assert_true (s_next (&f, &b, 2000));     /* "the daemon dies with it" */
    zmq_msg_close (&b.peer);
    s_submit (&f, "after");
    assert_true (s_next (&f, &c, 2000));
    s_answer (&f, &c, "result", 2, 0, false);        /* a new daemon */
    assert_true (s_next (&f, &again, 1000));
    assert_string_equal (again.id, "lost");
    s_answer (&f, &again, "result", 2, 0, false);
    assert_int_equal (gl_producer_wait (f.p, 2), 0);
    gl_producer_stats_t st;
    gl_producer_stats (f.p, &st);
    assert_int_equal (st.restarts, 1);
    assert_int_equal (st.answered, 3);
    s_teardown (&f);
}

/*  Behind a broker: answers of two daemons, each with its own epoch, are
 *  no restart; a new epoch under a name already heard is one, and what is
 *  in flight goes again at once.                                           */
static void
test_epochs_per_daemon (void **state)
{
    (void) state;
    s_fix_t f;
    s_setup (&f, 10, 0);
    s_req_t a, b, c, d, again;
    s_submit (&f, "a");
    s_submit (&f, "b");
    assert_true (s_next (&f, &a, 2000));
    assert_true (s_next (&f, &b, 2000));
    s_answer_from (&f, &a, "d1", "result", 11, 0, false);
    s_answer_from (&f, &b, "d2", "result", 22, 0, false);
    s_submit (&f, "c");
    s_submit (&f, "d");
    assert_true (s_next (&f, &c, 2000));
    assert_true (s_next (&f, &d, 2000));
    s_answer_from (&f, &c, "d2", "result", 22, 0, false);
    assert_int_equal (gl_producer_wait (f.p, 0.2), 1);
    gl_producer_stats_t st;
    gl_producer_stats (f.p, &st);
    assert_int_equal (st.restarts, 0);      /* d1 and d2 in turn */
    assert_int_equal (st.resends, 0);
    zmq_msg_close (&d.peer);                /* "d1 dies with it" */
    s_submit (&f, "e");
    s_req_t e;
    assert_true (s_next (&f, &e, 2000));
    s_answer_from (&f, &e, "d1", "result", 12, 0, false);  /* d1 restarted */
    assert_true (s_next (&f, &again, 1000));        /* at once, not in 10 s */
    assert_string_equal (again.id, "d");
    s_answer_from (&f, &again, "d2", "result", 22, 0, false);
    assert_int_equal (gl_producer_wait (f.p, 2), 0);
    gl_producer_stats (f.p, &st);
    assert_int_equal (st.restarts, 1);
    assert_int_equal (st.answered, 5);
    assert_int_equal (f.got.n, 5);
    s_teardown (&f);
}

/*  No answer at all: given up after give_up, reported once.                */
static void
test_give_up (void **state)
{
    (void) state;
    s_fix_t f;
    s_setup (&f, 0.05, 0.3);
    s_submit (&f, "never");
    assert_int_equal (gl_producer_wait (f.p, 3), 0);
    assert_int_equal (f.got.n, 1);
    assert_string_equal (f.got.ids[0], "never");
    assert_int_equal (f.got.outcome[0], GL_PRODUCER_GAVE_UP);
    gl_producer_stats_t st;
    gl_producer_stats (f.p, &st);
    assert_int_equal (st.gave_up, 1);
    assert_true (st.sends >= 2);
    s_teardown (&f);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_answers),
        cmocka_unit_test (test_resend_and_duplicate),
        cmocka_unit_test (test_refused),
        cmocka_unit_test (test_new_epoch),
        cmocka_unit_test (test_epochs_per_daemon),
        cmocka_unit_test (test_give_up),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
