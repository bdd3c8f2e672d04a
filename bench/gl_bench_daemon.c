/*  gl_bench_daemon.c: `gidlint-bench daemon`, gidlintd measured end to end.
 *
 *  Each run starts the real daemon (a child process, fresh endpoints on
 *  loopback tcp or ipc in a temp dir), waits for its health, and drives it
 *  from this process as a producer (PUSH to ingest) and a subscriber (SUB
 *  to results) would, matching every result to its document by id:
 *
 *    warm-up      1,000 documents, then the daemon's VmRSS;
 *    control      1,000 `health` round trips on a DEALER, one at a time;
 *    saturation   N documents sent open loop, as fast as ZeroMQ's
 *                 backpressure lets the producer go; the rate is results
 *                 received per second between the 10th and the 90th
 *                 percentile of arrivals (the steady part);
 *    latency      at 25, 50 and 75 % of that run's saturation rate (and
 *                 10..90 % with --csv), documents sent on a fixed schedule
 *                 (open loop: a late result does not delay the next send);
 *                 latency = result received - document sent, one clock;
 *    memory       the daemon's VmHWM (peak RSS) at the end;
 *
 *  and, right after saturation (the daemon idle meanwhile), two ceilings:
 *  the engine alone on as many threads as the daemon has workers, over the
 *  same documents, and raw libzmq PUSH->PULL of the same messages over the
 *  same transport.  The daemon's rate is given as a fraction of each.
 *  Figures are medians over the runs; the targets are shown, never
 *  asserted.
 *
 *  The producer and the subscriber share the machine with the daemon; on a
 *  small machine they take a visible part of it, so the report gives the
 *  CPU the daemon and this program used during saturation, and the CPU
 *  time per document of the daemon and of the engine alone: their ratio
 *  is what the daemon's own work costs, and varies much less with the
 *  machine's other load than the rates do.
 *
 *  With --broker N the same measurement runs against a gidlint-broker's
 *  frontends, N daemons behind it (W workers each, 1 by default): what a
 *  client sees of a deployment that scales out.  All N must answer health
 *  by name through the broker's route relay before anything is measured.
 *  The figures of a process (CPU, RSS, VmHWM) are then sums over the
 *  broker and the daemons, with the broker's own share beside them: that
 *  is the price of the extra hop.  The engine ceiling runs on N x W
 *  threads, the workers in all.
 */
#define _GNU_SOURCE
#include "gl_bench_daemon.h"
#include "gl_bench.h"
#include "gl_wire.h"

#include "gidlint/gidlint.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zmq.h>

#define POOL_MAX 1000           /* distinct generated reports               */
#define WARMUP 1000
#define HEALTH_N 1000
#define POINT_SECS 5.0          /* a latency point lasts about this long     */
#define POINT_MIN 1000          /* ... but has at least this many documents  */
#define STALL 5.0               /* seconds without a result: the rest is lost */
#define MAX_LOADS 16
#define ENGINE_MIN 2000         /* documents for the engine ceiling, at least */
#define ZMQ_MIN 20000           /* messages for the libzmq ceiling, at least  */

/*  Targets, shown next to the figures.                                     */
#define TARGET_RATIO 0.80       /* daemon / engine alone, same threads      */
#define TARGET_P99_MS 2.0       /* at 50 % of saturation, tcp               */
#define TARGET_RSS_MB 64.0

typedef struct {
    double sat;                 /* docs/s                                   */
    double daemon_cpu, bench_cpu;       /* cores used during saturation      */
    double daemon_ms, engine_ms;        /* CPU ms per document: the daemon at
                                           saturation, the engine ceiling    */
    /* Behind a broker, daemon_cpu, daemon_ms and the memory figures are
       sums over the broker and the daemons; these are the broker's own.  */
    double broker_cpu, broker_ms;
    double broker_rss_warm, broker_hwm, daemon_hwm_max;        /* MB       */
    double rate[MAX_LOADS];
    double p50[MAX_LOADS], p99[MAX_LOADS], p999[MAX_LOADS];
    size_t nlat[MAX_LOADS];
    double ctl_p50, ctl_p99;
    double engine, zmq;         /* ceilings, docs/s and msgs/s               */
    double rss_warm, hwm, rss_end;      /* MB                                 */
    size_t sent, missing, rejects;
} run_t;

typedef struct {
    const gl_bench_daemon_opts_t *o;
    const char *daemon;
    const char *broker;         /* NULL: the daemon alone                   */
    int daemons;                /* behind the broker                        */
    int workers;                /* of each daemon                           */
    int all_workers;            /* of all the daemons: the engine's threads */
    const gl_bench_doc_t *pool;
    size_t n_pool;
    double mean_msg;            /* bytes of an encoded document message     */
    size_t n_loads;
    double loads[MAX_LOADS];    /* fractions of saturation                  */
} bench_t;

static double
s_mb (long kb)
{
    return kb < 0 ? -1 : (double) kb / 1024.0;
}

/*  utime + stime of a process, seconds.                                   */
static double
s_proc_cpu (pid_t pid)
{
    char path[64], buf[2048];
    snprintf (path, sizeof path, "/proc/%ld/stat", (long) pid);
    FILE *f = fopen (path, "r");
    if (!f)
        return 0;
    size_t n = fread (buf, 1, sizeof buf - 1, f);
    fclose (f);
    buf[n] = '\0';
    char *p = strrchr (buf, ')');
    unsigned long ut = 0, st = 0;
    /* after the name: state, then 10 fields, then utime and stime */
    if (!p || sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                      &ut, &st) != 2)
        return 0;
    return (double) (ut + st) / (double) sysconf (_SC_CLK_TCK);
}

/*  Sums over the processes procs[from..to) of d.                         */
static double
s_procs_cpu (const gl_bench_daemon_t *d, size_t from, size_t to)
{
    double sum = 0;
    for (size_t i = from; i < to; i++)
        sum += s_proc_cpu (d->procs[i].pid);
    return sum;
}

/*  -1 when one cannot be read.                                             */
static long
s_procs_kb (const gl_bench_daemon_t *d, size_t from, size_t to, const char *field)
{
    long sum = 0;
    for (size_t i = from; i < to; i++) {
        long kb = gl_bench_proc_kb (d->procs[i].pid, field);
        if (kb < 0)
            return -1;
        sum += kb;
    }
    return sum;
}

static double
s_self_cpu (void)
{
    struct rusage ru;
    getrusage (RUSAGE_SELF, &ru);
    return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
        + (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/*  The received times of a phase, compacted; returns how many.            */
static size_t
s_received (const double *times, size_t n, double *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] > 0)
            out[k++] = times[i];
    return k;
}

/*  ---------------------------------------------------------------------
 *  Ceilings.                                                               */

typedef struct {
    gl_engine_t *engine;
    const bench_t *b;
    size_t n;
    atomic_size_t *next;
    bool failed;
} eng_arg_t;

static void *
s_engine_thread (void *arg)
{
    eng_arg_t *a = arg;
    size_t i;
    while ((i = atomic_fetch_add (a->next, 1)) < a->n) {
        const gl_bench_doc_t *d = &a->b->pool[i % a->b->n_pool];
        gl_doc_t *doc = NULL;
        if (gl_engine_lint (a->engine, d->bytes, d->len, GL_LANG_ZH, &doc) != GL_OK)
            a->failed = true;
        gl_doc_destroy (&doc);
    }
    return NULL;
}

/*  The engine alone: n documents on w threads, each with its own engine. */
static double
s_engine_ceiling (const bench_t *b, size_t n, int w)
{
    gl_engine_t *base = gl_engine_new ();
    eng_arg_t *args = calloc ((size_t) w, sizeof *args);
    pthread_t *th = calloc ((size_t) w, sizeof *th);
    atomic_size_t next;
    atomic_init (&next, 0);
    double rate = 0;
    if (!base || !args || !th)
        goto out;
    for (int k = 0; k < w; k++) {
        args[k] = (eng_arg_t) { gl_engine_dup (base), b, n, &next, false };
        if (!args[k].engine)
            goto out;
    }
    double t0 = gl_bench_now ();
    int started = 0;
    for (; started < w; started++)
        if (pthread_create (&th[started], NULL, s_engine_thread, &args[started]) != 0)
            break;
    for (int k = 0; k < started; k++)
        pthread_join (th[k], NULL);
    double t = gl_bench_now () - t0;
    bool failed = started < w;
    for (int k = 0; k < w; k++)
        failed |= args[k].failed;
    if (!failed && t > 0)
        rate = (double) n / t;
out:
    for (int k = 0; args && k < w; k++)
        gl_engine_destroy (&args[k].engine);
    free (args);
    free (th);
    gl_engine_destroy (&base);
    return rate;
}

typedef struct {
    void *push;
    const bench_t *b;
    size_t n;
} zsend_arg_t;

static void *
s_zmq_sender (void *arg)
{
    zsend_arg_t *a = arg;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    for (size_t i = 0; i < a->n; i++) {
        char id[48];
        snprintf (id, sizeof id, "0:%zu", i);
        if (gl_bench_encode (&sb, id, &a->b->pool[i % a->b->n_pool]) != 0)
            break;
        while (zmq_send (a->push, sb.data, sb.size, 0) < 0 && zmq_errno () == EINTR)
            ;
    }
    msgpack_sbuffer_destroy (&sb);
    return NULL;
}

/*  Raw libzmq: the same messages, PUSH -> PULL over transport t, between
 *  two threads of this process (each socket on its own thread, as the
 *  producer and the daemon's ingest are).  msgs/s over the steady part.  */
static double
s_zmq_ceiling (const bench_t *b, gl_bench_transport_t t, size_t n)
{
    char dir[256], ep[320];
    const char *tmp = getenv ("TMPDIR");
    snprintf (dir, sizeof dir, "%s/gidlint-bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp (dir) || gl_bench_endpoint (t, dir, "pushpull", ep, sizeof ep) != 0)
        return 0;
    double rate = 0;
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL), *push = zmq_socket (ctx, ZMQ_PUSH);
    double *times = calloc (n ? n : 1, sizeof *times);
    int zero = 0, timeo = (int) (STALL * 1000);
    zmq_setsockopt (pull, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt (push, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt (pull, ZMQ_RCVTIMEO, &timeo, sizeof timeo);
    if (times && zmq_bind (pull, ep) == 0 && zmq_connect (push, ep) == 0) {
        zsend_arg_t a = { push, b, n };
        pthread_t th;
        if (pthread_create (&th, NULL, s_zmq_sender, &a) == 0) {
            size_t got = 0;
            zmq_msg_t m;
            zmq_msg_init (&m);
            while (got < n && zmq_msg_recv (&m, pull, 0) >= 0)
                times[got++] = gl_bench_now ();
            zmq_msg_close (&m);
            pthread_join (th, NULL);
            rate = gl_bench_steady_rate (times, got);
        }
    }
    free (times);
    zmq_close (pull);
    zmq_close (push);
    zmq_ctx_term (ctx);
    char p[400];
    snprintf (p, sizeof p, "%s/pushpull", dir);
    unlink (p);
    rmdir (dir);
    return rate;
}

/*  ---------------------------------------------------------------------
 *  One run against the daemon.                                            */

/*  Sends n documents as fast as possible; waits for the results.  Returns
 *  the number received; *times (compacted arrival times) is filled.     */
static size_t
s_flood (const bench_t *b, gl_bench_sess_t *s, size_t n, double *arrivals)
{
    gl_bench_sess_begin (s, n);
    for (size_t i = 0; i < n; i++)
        if (gl_bench_sess_send (s, i, &b->pool[i % b->n_pool]) < 0) {
            fprintf (stderr, "gidlint-bench: send failed: %s\n", zmq_strerror (zmq_errno ()));
            break;
        }
    gl_bench_sess_end (s, STALL);
    return s_received (gl_bench_sess_times (s), n, arrivals);
}

/*  Sends n documents at rate docs/s on a fixed schedule; fills lat (the
 *  latencies of those received, sorted, in seconds).  Returns how many.   */
static size_t
s_paced (const bench_t *b, gl_bench_sess_t *s, size_t n, double rate,
         double *sent, double *lat)
{
    gl_bench_sess_begin (s, n);
    double t0 = gl_bench_now () + 0.01;
    for (size_t i = 0; i < n; i++) {
        gl_bench_sleep_until (t0 + (double) i / rate);
        sent[i] = gl_bench_sess_send (s, i, &b->pool[i % b->n_pool]);
        if (sent[i] < 0) {
            fprintf (stderr, "gidlint-bench: send failed: %s\n", zmq_strerror (zmq_errno ()));
            n = i;
            break;
        }
    }
    gl_bench_sess_end (s, STALL);
    const double *times = gl_bench_sess_times (s);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] > 0)
            lat[k++] = times[i] - sent[i];
    gl_bench_sort (lat, k);
    return k;
}

static int
s_run (const bench_t *b, gl_bench_transport_t t, run_t *r)
{
    memset (r, 0, sizeof *r);
    size_t n = b->o->docs;
    gl_bench_daemon_t d;
    if (gl_bench_daemon_start (&d, b->daemon, b->broker, b->daemons, t, b->workers, NULL,
                               30) != 0)
        return -1;
    /* Every process's figures are summed; behind a broker its own are
       also kept (procs[0]). */
    size_t nproc = d.n_procs, nb = gl_bench_daemon_first (&d);
    int rc = -1;
    void *ctx = zmq_ctx_new ();
    size_t cap = n > WARMUP ? n : WARMUP;
    double *buf = calloc (cap, sizeof *buf), *sent = calloc (cap, sizeof *sent);
    gl_bench_sess_t *s = ctx ? gl_bench_sess_open (ctx, d.ingest, d.results, cap) : NULL;
    if (!s || !buf || !sent)
        goto out;
    /* Behind a broker, a few probes per daemon: its PUSH deals them round
       the daemons, so that each one's results are seen to flow. */
    if (gl_bench_sess_probe (s, &b->pool[0], b->broker ? 2 * (size_t) b->daemons : 1, 30) != 0)
        goto out;

    /* Warm-up: the allocator's arenas and ZeroMQ's buffers reach their
       working size. */
    size_t nw = n < WARMUP ? n : WARMUP;
    size_t got = s_flood (b, s, nw, buf);
    r->sent += nw;
    r->missing += nw - got;
    r->rss_warm = s_mb (s_procs_kb (&d, 0, nproc, "VmRSS"));
    r->broker_rss_warm = s_mb (s_procs_kb (&d, 0, nb, "VmRSS"));

    size_t nh = gl_bench_health_rtt (ctx, d.control, HEALTH_N, buf, 10);
    gl_bench_sort (buf, nh);
    r->ctl_p50 = gl_bench_quantile (buf, nh, 0.5) * 1e3;
    r->ctl_p99 = gl_bench_quantile (buf, nh, 0.99) * 1e3;

    double c0 = s_procs_cpu (&d, 0, nproc), cb0 = s_procs_cpu (&d, 0, nb);
    double b0 = s_self_cpu (), w0 = gl_bench_now ();
    got = s_flood (b, s, n, buf);
    double wall = gl_bench_now () - w0;
    double c = s_procs_cpu (&d, 0, nproc) - c0, cb = s_procs_cpu (&d, 0, nb) - cb0;
    r->daemon_cpu = c / wall;
    r->daemon_ms = c * 1e3 / (double) n;
    r->broker_cpu = cb / wall;
    r->broker_ms = cb * 1e3 / (double) n;
    r->bench_cpu = (s_self_cpu () - b0) / wall;
    r->sent += n;
    r->missing += n - got;
    r->rejects += gl_bench_sess_rejects (s);
    r->sat = gl_bench_steady_rate (buf, got);
    if (r->sat <= 0) {
        fprintf (stderr, "gidlint-bench: no results at saturation\n");
        goto out;
    }

    /* The ceilings, right after: the load of a shared machine changes
       less between the two than over the whole run.  The daemon is idle
       meanwhile (it waits on its sockets). */
    size_t ne = n > ENGINE_MIN ? n : ENGINE_MIN;
    double e0 = s_self_cpu ();
    r->engine = s_engine_ceiling (b, ne, b->all_workers);
    r->engine_ms = (s_self_cpu () - e0) * 1e3 / (double) ne;
    r->zmq = s_zmq_ceiling (b, t, n > ZMQ_MIN ? n : ZMQ_MIN);

    for (size_t k = 0; k < b->n_loads; k++) {
        double rate = b->loads[k] * r->sat;
        size_t np = (size_t) (rate * POINT_SECS);
        np = np < POINT_MIN ? POINT_MIN : np;
        np = np > n ? n : np;
        size_t nl = s_paced (b, s, np, rate, sent, buf);
        r->sent += np;
        r->missing += np - nl;
        r->rejects += gl_bench_sess_rejects (s);
        r->rate[k] = rate;
        r->nlat[k] = nl;
        r->p50[k] = gl_bench_quantile (buf, nl, 0.5) * 1e3;
        r->p99[k] = gl_bench_quantile (buf, nl, 0.99) * 1e3;
        r->p999[k] = gl_bench_quantile (buf, nl, 0.999) * 1e3;
    }
    r->hwm = s_mb (s_procs_kb (&d, 0, nproc, "VmHWM"));
    r->rss_end = s_mb (s_procs_kb (&d, 0, nproc, "VmRSS"));
    r->broker_hwm = s_mb (s_procs_kb (&d, 0, nb, "VmHWM"));
    for (size_t i = nb; i < nproc; i++) {
        double h = s_mb (gl_bench_proc_kb (d.procs[i].pid, "VmHWM"));
        r->daemon_hwm_max = h > r->daemon_hwm_max ? h : r->daemon_hwm_max;
    }
    rc = 0;
out:
    gl_bench_sess_close (s);
    if (ctx)
        zmq_ctx_term (ctx);
    free (buf);
    free (sent);
    int st = gl_bench_daemon_stop (&d, 60);
    if (st != 0) {
        fprintf (stderr, "gidlint-bench: %s exited with status %d\n",
                 b->broker ? "the broker or a daemon" : "the daemon", st);
        rc = -1;
    }
    return rc;
}

/*  ---------------------------------------------------------------------
 *  Reporting.                                                              */

static void
s_print_run (const bench_t *b, int i, const run_t *r)
{
    if (b->broker)
        printf ("  run %d: saturation %.0f docs/s (broker + daemons %.2f cores, %.3f ms CPU/doc,"
                " of which the broker %.2f cores, %.3f ms; bench %.2f cores);"
                " engine x%d %.0f docs/s (%.3f ms CPU/doc); libzmq %.0f msgs/s\n",
                i + 1, r->sat, r->daemon_cpu, r->daemon_ms, r->broker_cpu, r->broker_ms,
                r->bench_cpu, b->all_workers, r->engine, r->engine_ms, r->zmq);
    else
        printf ("  run %d: saturation %.0f docs/s (daemon %.2f cores, %.3f ms CPU/doc; bench %.2f cores);"
                " engine x%d %.0f docs/s (%.3f ms CPU/doc); libzmq %.0f msgs/s\n",
                i + 1, r->sat, r->daemon_cpu, r->daemon_ms, r->bench_cpu, b->workers, r->engine,
                r->engine_ms, r->zmq);
    printf ("         latency p50/p99/p99.9 ms:");
    for (size_t k = 0; k < b->n_loads; k++)
        printf (" %.0f%% %.3f/%.3f/%.3f", b->loads[k] * 100, r->p50[k], r->p99[k], r->p999[k]);
    printf ("\n         control p50 %.3f ms p99 %.3f ms; RSS%s %.1f MB after warm-up,"
            " %.1f MB at the end, peak %.1f MB", r->ctl_p50, r->ctl_p99,
            b->broker ? " (sums over the broker and the daemons)" : "", r->rss_warm,
            r->rss_end, r->hwm);
    if (b->broker)
        printf (" (the broker %.1f MB, the largest daemon %.1f MB)", r->broker_hwm,
                r->daemon_hwm_max);
    printf ("; %zu sent, %zu missing, %zu rejects\n", r->sent, r->missing, r->rejects);
}

/*  The median over the runs of one field (offset into run_t).             */
static double
s_med (const run_t *rs, int n, size_t off)
{
    double v[1000];
    for (int i = 0; i < n && i < 1000; i++)
        v[i] = *(const double *) ((const char *) &rs[i] + off);
    return gl_bench_median (v, (size_t) (n < 1000 ? n : 1000));
}

#define MED(field) s_med (rs, n, offsetof (run_t, field))

static double
s_med_ratio (const run_t *rs, int n, size_t off_den)
{
    double v[1000];
    for (int i = 0; i < n && i < 1000; i++) {
        double den = *(const double *) ((const char *) &rs[i] + off_den);
        v[i] = den > 0 ? rs[i].sat / den : 0;
    }
    return gl_bench_median (v, (size_t) (n < 1000 ? n : 1000));
}

static const char *
s_verdict (bool met)
{
    return met ? "met" : "MISSED";
}

static void
s_print_summary (const bench_t *b, gl_bench_transport_t t, const run_t *rs, int n)
{
    double sat = MED (sat), eng = MED (engine), zq = MED (zmq);
    double r_eng = s_med_ratio (rs, n, offsetof (run_t, engine));
    double r_zmq = s_med_ratio (rs, n, offsetof (run_t, zmq));
    size_t sent = 0, missing = 0;
    for (int i = 0; i < n; i++) {
        sent += rs[i].sent;
        missing += rs[i].missing;
    }
    /* Behind a broker, "daemon" reads "the broker and the daemons": the
       figures of the processes are their sums. */
    const char *who = b->broker ? "broker + daemons" : "daemon";
    const char *ratio = b->broker ? "(broker + daemons)" : "daemon";
    printf ("  %s, median of %d run%s:\n", gl_bench_transport_name (t), n, n == 1 ? "" : "s");
    char what[96];
    snprintf (what, sizeof what, "%s at saturation", who);
    if (b->broker)
        printf ("    %-36s %10.0f docs/s   (broker + daemons %.2f cores, of which the broker"
                " %.2f; bench %.2f cores)\n", what, sat, MED (daemon_cpu), MED (broker_cpu),
                MED (bench_cpu));
    else
        printf ("    %-36s %10.0f docs/s   (daemon %.2f cores, bench %.2f cores)\n",
                what, sat, MED (daemon_cpu), MED (bench_cpu));
    snprintf (what, sizeof what, "engine alone, %d thread%s", b->all_workers,
              b->all_workers == 1 ? "" : "s");
    printf ("    %-36s %10.0f docs/s   %s/engine %5.1f %%  (target >= %.0f %%: %s)\n",
            what, eng, ratio, r_eng * 100, TARGET_RATIO * 100, s_verdict (r_eng >= TARGET_RATIO));
    double v[1000];
    for (int i = 0; i < n && i < 1000; i++)
        v[i] = rs[i].daemon_ms > 0 ? rs[i].engine_ms / rs[i].daemon_ms : 0;
    if (b->broker) {
        double vb[1000];
        for (int i = 0; i < n && i < 1000; i++)
            vb[i] = rs[i].daemon_ms > 0 ? rs[i].broker_ms / rs[i].daemon_ms : 0;
        printf ("    %-36s broker + daemons %.3f ms (the broker %.3f ms, %.1f %%),"
                " engine alone %.3f ms: engine/(broker + daemons) %.1f %%\n",
                "CPU time per document", MED (daemon_ms), MED (broker_ms),
                gl_bench_median (vb, (size_t) n) * 100, MED (engine_ms),
                gl_bench_median (v, (size_t) n) * 100);
    }
    else
        printf ("    %-36s daemon %.3f ms, engine alone %.3f ms: engine/daemon %.1f %%\n",
                "CPU time per document", MED (daemon_ms), MED (engine_ms),
                gl_bench_median (v, (size_t) n) * 100);
    snprintf (what, sizeof what, "libzmq PUSH->PULL, %.0f B messages", b->mean_msg);
    printf ("    %-36s %10.0f msgs/s   %s/libzmq %5.1f %%\n", what, zq, ratio, r_zmq * 100);
    for (size_t k = 0; k < b->n_loads; k++) {
        double f = b->loads[k];
        if (f != 0.25 && f != 0.5 && f != 0.75)       /* the CSV's points */
            continue;
        double v50[1000], v99[1000], v999[1000], vr[1000];
        for (int i = 0; i < n && i < 1000; i++) {
            v50[i] = rs[i].p50[k];
            v99[i] = rs[i].p99[k];
            v999[i] = rs[i].p999[k];
            vr[i] = rs[i].rate[k];
        }
        double p99 = gl_bench_median (v99, (size_t) n);
        snprintf (what, sizeof what, "latency at %.0f %% (%.0f docs/s)", f * 100,
                  gl_bench_median (vr, (size_t) n));
        printf ("    %-36s p50 %.3f  p99 %.3f  p99.9 %.3f ms", what,
                gl_bench_median (v50, (size_t) n), p99, gl_bench_median (v999, (size_t) n));
        if (f == 0.5 && t == GL_BENCH_TCP)
            printf ("   (target p99 < %.0f ms: %s)", TARGET_P99_MS,
                    s_verdict (p99 < TARGET_P99_MS));
        printf ("\n");
    }
    printf ("    %-36s p50 %.3f  p99 %.3f ms\n", "control round trip (health)",
            MED (ctl_p50), MED (ctl_p99));
    if (b->broker) {
        /* The target is a daemon's: the largest of them is held to it. */
        double top = MED (daemon_hwm_max);
        snprintf (what, sizeof what, "RSS after warm-up, sum of %d processes", b->daemons + 1);
        printf ("    %-36s %10.1f MB   (the broker %.1f MB)\n", what, MED (rss_warm),
                MED (broker_rss_warm));
        snprintf (what, sizeof what, "peak RSS (VmHWM), sum of %d processes", b->daemons + 1);
        printf ("    %-36s %10.1f MB   (the broker %.1f MB; the largest daemon %.1f MB,"
                " target < %.0f MB: %s)\n", what, MED (hwm), MED (broker_hwm), top,
                TARGET_RSS_MB, s_verdict (top > 0 && top < TARGET_RSS_MB));
    }
    else {
        printf ("    %-36s %10.1f MB\n", "daemon RSS after warm-up", MED (rss_warm));
        double hwm = MED (hwm);
        printf ("    %-36s %10.1f MB   (target < %.0f MB: %s)\n", "daemon peak RSS (VmHWM)",
                hwm, TARGET_RSS_MB, s_verdict (hwm > 0 && hwm < TARGET_RSS_MB));
    }
    printf ("    %-36s %10zu of %zu\n", "results missing", missing, sent);
}

static void
s_write_csv (FILE *f, const bench_t *b, gl_bench_transport_t t, const run_t *rs, int n)
{
    for (size_t k = 0; k < b->n_loads; k++) {
        double v50[1000], v99[1000], v999[1000], vr[1000], vs[1000];
        for (int i = 0; i < n && i < 1000; i++) {
            v50[i] = rs[i].p50[k];
            v99[i] = rs[i].p99[k];
            v999[i] = rs[i].p999[k];
            vr[i] = rs[i].rate[k];
            vs[i] = rs[i].sat;
        }
        fprintf (f, "%s,%.0f,%.1f,%.1f,%.4f,%.4f,%.4f\n", gl_bench_transport_name (t),
                 b->loads[k] * 100, gl_bench_median (vr, (size_t) n),
                 gl_bench_median (vs, (size_t) n), gl_bench_median (v50, (size_t) n),
                 gl_bench_median (v99, (size_t) n), gl_bench_median (v999, (size_t) n));
    }
}

static int
s_cmp_load (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int
gl_bench_daemon_run (const gl_bench_daemon_opts_t *o)
{
    bench_t b = { .o = o };
    char path[4096] = "";
    if (o->daemon)
        b.daemon = o->daemon;
    else if (gl_bench_default_daemon (o->argv0, path, sizeof path) == 0)
        b.daemon = path;
    else {
        fprintf (stderr, "gidlint-bench: no gidlintd next to this program (%s); use --daemon PATH\n",
                 path);
        return 1;
    }
    if (access (b.daemon, X_OK) != 0) {
        fprintf (stderr, "gidlint-bench: cannot run %s\n", b.daemon);
        return 1;
    }
    char bpath[4096] = "";
    if (o->daemons > 0) {
        b.daemons = o->daemons;
        if (o->broker)
            b.broker = o->broker;
        else {
            gl_bench_default_broker (b.daemon, bpath, sizeof bpath);
            b.broker = bpath;
        }
        if (access (b.broker, X_OK) != 0) {
            fprintf (stderr, "gidlint-bench: cannot run %s; use --broker-bin PATH\n", b.broker);
            return 1;
        }
    }
    long cores = sysconf (_SC_NPROCESSORS_ONLN);
    /* Alone, a worker per core; behind the broker, the daemons are the
       unit of scale: one worker each unless told. */
    b.workers = o->workers > 0 ? o->workers : b.broker ? 1 : (int) (cores > 0 ? cores : 1);
    b.all_workers = b.workers * (b.broker ? b.daemons : 1);
    int runs = o->runs > 0 ? (o->runs < 1000 ? o->runs : 1000) : 3;

    b.loads[b.n_loads++] = 0.25;
    b.loads[b.n_loads++] = 0.50;
    b.loads[b.n_loads++] = 0.75;
    if (o->csv)
        for (int p = 10; p <= 90; p += 10)
            if (p != 50)
                b.loads[b.n_loads++] = p / 100.0;
    qsort (b.loads, b.n_loads, sizeof *b.loads, s_cmp_load);

    b.n_pool = o->docs < POOL_MAX ? o->docs : POOL_MAX;
    gl_bench_doc_t *pool = gl_bench_docs_new (b.n_pool, 1);
    if (!pool) {
        fprintf (stderr, "gidlint-bench: out of memory\n");
        return 1;
    }
    b.pool = pool;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    double total = 0;
    for (size_t i = 0; i < b.n_pool; i++) {
        char id[48];
        snprintf (id, sizeof id, "0:%zu", i);
        gl_bench_encode (&sb, id, &pool[i]);
        total += (double) sb.size;
    }
    msgpack_sbuffer_destroy (&sb);
    b.mean_msg = total / (double) b.n_pool;

    if (b.broker)
        printf ("broker + %d daemon%s × %d worker%s (%d worker%s in all): %s, %s;"
                " %d run%s per transport, figures are medians of %d run%s; the CPU and"
                " memory figures are sums over the broker and the daemons\n",
                b.daemons, b.daemons == 1 ? "" : "s", b.workers, b.workers == 1 ? "" : "s",
                b.all_workers, b.all_workers == 1 ? "" : "s", b.broker, b.daemon, runs,
                runs == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
    else
        printf ("daemon: %s, %d worker%s; %d run%s per transport, figures are medians of %d run%s\n",
                b.daemon, b.workers, b.workers == 1 ? "" : "s", runs, runs == 1 ? "" : "s",
                runs, runs == 1 ? "" : "s");
    printf ("documents: %zu per measurement (%zu distinct generated reports, mean message"
            " %.0f bytes), each with its own id; warm-up %zu; latency points of %.0f s"
            " (at least %d documents, at most %zu); ceilings over at least %d documents"
            " (engine) and %d messages (libzmq)\n",
            o->docs, b.n_pool, b.mean_msg, o->docs < WARMUP ? o->docs : (size_t) WARMUP,
            POINT_SECS, POINT_MIN, o->docs, ENGINE_MIN, ZMQ_MIN);
    fflush (stdout);

    FILE *csv = NULL;
    if (o->csv) {
        csv = fopen (o->csv, "w");
        if (!csv) {
            fprintf (stderr, "gidlint-bench: cannot write %s: %s\n", o->csv, strerror (errno));
            gl_bench_docs_free (pool, b.n_pool);
            return 1;
        }
        fprintf (csv, "transport,load_pct,rate_docs_s,saturation_docs_s,p50_ms,p99_ms,p999_ms\n");
    }

    int rc = 0;
    run_t *rs = calloc ((size_t) runs, sizeof *rs);
    for (int ti = 0; ti < 2 && rs; ti++) {
        if (!(o->transports & (1u << ti)))
            continue;
        gl_bench_transport_t t = (gl_bench_transport_t) ti;
        if (b.broker)
            printf ("\nbroker + %d daemon%s end to end over %s (%s), through the broker's"
                    " frontends:\n", b.daemons, b.daemons == 1 ? "" : "s",
                    gl_bench_transport_name (t),
                    t == GL_BENCH_TCP ? "loopback 127.0.0.1" : "unix sockets in a temp dir");
        else
            printf ("\ndaemon end to end over %s (%s):\n", gl_bench_transport_name (t),
                    t == GL_BENCH_TCP ? "loopback 127.0.0.1" : "unix sockets in a temp dir");
        fflush (stdout);
        int ok = 0;
        for (int i = 0; i < runs; i++) {
            if (s_run (&b, t, &rs[ok]) != 0) {
                fprintf (stderr, "gidlint-bench: run %d over %s failed\n", i + 1,
                         gl_bench_transport_name (t));
                rc = 1;
                continue;
            }
            s_print_run (&b, i, &rs[ok]);
            fflush (stdout);
            ok++;
        }
        if (ok) {
            s_print_summary (&b, t, rs, ok);
            if (csv)
                s_write_csv (csv, &b, t, rs, ok);
        }
        fflush (stdout);
    }
    if (!rs)
        rc = 1;
    free (rs);
    if (csv)
        fclose (csv);
    gl_bench_docs_free (pool, b.n_pool);
    return rc;
}
