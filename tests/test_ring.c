/*  test_ring.c: the daemon's ring of recent results (gl_ring) and its
 *  control rate limit (gl_rate).                                           */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gl_rate.h"
#include "gl_ring.h"

static void
s_put (gl_ring_t *r, uint64_t seq, uint64_t key, size_t size)
{
    zmq_msg_t m;
    assert_int_equal (zmq_msg_init_size (&m, size), 0);
    memset (zmq_msg_data (&m), (int) (seq & 0x7f), size);
    assert_int_equal (gl_ring_put (r, seq, key, "result/clean/-/", 15, &m), 0);
    zmq_msg_close (&m);         /* the ring holds its own reference */
}

/*  By count: the oldest go, the rest are found by seq and key.            */
static void
test_ring_count (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (100, 0);
    assert_non_null (r);
    assert_int_equal (gl_ring_first (r), 0);
    assert_null (gl_ring_get (r, 1));
    for (uint64_t seq = 1; seq <= 250; seq++)
        s_put (r, seq, seq * 1000 + 7, 40);
    assert_int_equal (gl_ring_first (r), 151);
    assert_int_equal (gl_ring_last (r), 250);
    assert_int_equal (gl_ring_bytes (r), 100 * (40 + 15));
    assert_null (gl_ring_get (r, 150));
    assert_null (gl_ring_get (r, 251));
    const gl_ring_entry_t *e = gl_ring_get (r, 151);
    assert_non_null (e);
    assert_int_equal (e->seq, 151);
    assert_int_equal (zmq_msg_size ((zmq_msg_t *) &e->body), 40);
    assert_int_equal (((uint8_t *) zmq_msg_data ((zmq_msg_t *) &e->body))[0], 151 & 0x7f);
    assert_string_equal (e->topic, "result/clean/-/");
    /* Every key still held is found, every evicted one is not. */
    for (uint64_t seq = 1; seq <= 250; seq++) {
        const gl_ring_entry_t *f = gl_ring_find (r, seq * 1000 + 7);
        if (seq <= 150)
            assert_null (f);
        else {
            assert_non_null (f);
            assert_int_equal (f->seq, seq);
        }
    }
    assert_null (gl_ring_find (r, 0));
    gl_ring_destroy (&r);
    assert_null (r);
}

/*  By bytes: a big message pushes out as many old ones as it needs.       */
static void
test_ring_bytes (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (1000, 1000);
    for (uint64_t seq = 1; seq <= 10; seq++)
        s_put (r, seq, 0, 85);          /* 100 bytes with the topic */
    assert_int_equal (gl_ring_first (r), 1);
    assert_int_equal (gl_ring_bytes (r), 1000);
    s_put (r, 11, 0, 285);              /* 300: three go */
    assert_int_equal (gl_ring_first (r), 4);
    assert_int_equal (gl_ring_bytes (r), 1000);
    s_put (r, 12, 0, 5000);             /* bigger than the bound: alone */
    assert_int_equal (gl_ring_first (r), 12);
    assert_int_equal (gl_ring_last (r), 12);
    gl_ring_destroy (&r);
}

/*  A skipped seq starts the ring anew; an old seq is refused.             */
static void
test_ring_skip (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (10, 0);
    s_put (r, 1, 11, 8);
    s_put (r, 2, 22, 8);
    s_put (r, 5, 55, 8);
    assert_int_equal (gl_ring_first (r), 5);
    assert_null (gl_ring_find (r, 11));
    assert_non_null (gl_ring_find (r, 55));
    zmq_msg_t m;
    zmq_msg_init_size (&m, 4);
    assert_int_equal (gl_ring_put (r, 5, 0, "t", 1, &m), -1);
    assert_int_equal (gl_ring_put (r, 3, 0, "t", 1, &m), -1);
    zmq_msg_close (&m);
    gl_ring_destroy (&r);
}

/*  Keys that collide in the index: deletion (backward shift) keeps every
 *  other key reachable.  The index has 32 slots for a ring of 16; keys
 *  that are multiples of 32 share a home slot.                             */
static void
test_ring_collisions (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (16, 0);
    for (uint64_t seq = 1; seq <= 64; seq++) {
        s_put (r, seq, seq << 40, 8);   /* low bits 0: one home slot */
        for (uint64_t k = seq > 16 ? seq - 15 : 1; k <= seq; k++) {
            const gl_ring_entry_t *e = gl_ring_find (r, k << 40);
            assert_non_null (e);
            assert_int_equal (e->seq, k);
        }
        if (seq > 16)
            assert_null (gl_ring_find (r, (seq - 16) << 40));
    }
    gl_ring_destroy (&r);
}

static void
test_ring_key (void **state)
{
    (void) state;
    uint64_t a = gl_ring_key ("s", 1, "id", 2, "body", 4);
    assert_true (a != 0);
    assert_true (a == gl_ring_key ("s", 1, "id", 2, "body", 4));
    /* Where one field ends and the next begins counts. */
    assert_true (a != gl_ring_key ("si", 2, "d", 1, "body", 4));
    assert_true (a != gl_ring_key ("s", 1, "id", 2, "bodz", 4));
    assert_true (a != gl_ring_key (NULL, 0, "id", 2, "body", 4));
}

/*  The token bucket: a burst, then one per 1/rate seconds.                 */
static void
test_rate (void **state)
{
    (void) state;
    gl_rate_t *r = gl_rate_new ();
    bool unmetered;
    double t = 1000.0;
    for (int i = 0; i < 5; i++)
        assert_int_equal (gl_rate_take (r, "A", 1, t, 10, 5, &unmetered), 0);
    /* Empty: the next token in 100 ms. */
    assert_int_equal (gl_rate_take (r, "A", 1, t, 10, 5, &unmetered), 100);
    /* (half a token missing; 1000.05 - 1000 is a hair under 0.05) */
    assert_in_range (gl_rate_take (r, "A", 1, t + 0.05, 10, 5, &unmetered), 50, 51);
    assert_int_equal (gl_rate_take (r, "A", 1, t + 0.1, 10, 5, &unmetered), 0);
    /* Another peer has its own bucket. */
    assert_int_equal (gl_rate_take (r, "B", 1, t + 0.1, 10, 5, &unmetered), 0);
    /* No limit. */
    assert_int_equal (gl_rate_take (r, "A", 1, t + 0.1, 0, 5, &unmetered), 0);
    /* Many peers: idle ones are forgotten, the table keeps working. */
    char id[16];
    for (int i = 0; i < 200000; i++) {
        int n = snprintf (id, sizeof id, "p%d", i);
        assert_int_equal (gl_rate_take (r, id, (size_t) n, t + 1 + i * 0.001, 10,
                                        5, &unmetered), 0);
        assert_false (unmetered);
    }
    gl_rate_destroy (&r);
    assert_null (r);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_ring_count),
        cmocka_unit_test (test_ring_bytes),
        cmocka_unit_test (test_ring_skip),
        cmocka_unit_test (test_ring_collisions),
        cmocka_unit_test (test_ring_key),
        cmocka_unit_test (test_rate),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
