/*  gl_bench.h: what gidlint-bench and gidlint-soak share.
 *
 *  Clocks and statistics, the machine's description, a pool of generated
 *  documents, and the daemon seen from outside: starting a real gidlintd
 *  (or a gidlint-broker and several daemons behind it) as child processes
 *  on free endpoints, asking its health, reading its memory from /proc,
 *  and a session of one producer (PUSH to ingest) and one subscriber (SUB
 *  to results, on its own thread) that matches every result to its
 *  document by the id the document was sent with.
 *
 *  Measurement code: it asserts nothing about time.  Every clock is
 *  CLOCK_MONOTONIC of this host, so a latency is the difference of two
 *  readings of one clock, taken in one process.
 */
#ifndef GL_BENCH_H_INCLUDED
#define GL_BENCH_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <msgpack.h>

/*  ---------------------------------------------------------------------
 *  Clocks and statistics.                                                 */

/*  CLOCK_MONOTONIC, seconds.                                               */
/*  A whole number from lo to hi in *out; false when v is not one.         */
bool gl_bench_parse_long (const char *v, long lo, long hi, long *out);

double gl_bench_now (void);
/*  Sleeps until the monotonic time t (seconds); returns at once if past. */
void gl_bench_sleep_until (double t);
/*  Sorts v and returns its median (0 for n == 0).                         */
double gl_bench_median (double *v, size_t n);
/*  The p-quantile (0..1) of sorted values, nearest rank.                  */
double gl_bench_quantile (const double *sorted, size_t n, double p);
/*  Sorts n values ascending.                                               */
void gl_bench_sort (double *v, size_t n);
/*  Events per second over the steady part of a run: t holds the times of
 *  n events (any order; sorted in place); the rate is measured between
 *  the 10th and the 90th percentile of the events, so that neither the
 *  start (queues filling) nor the tail (queues draining) counts.          */
double gl_bench_steady_rate (double *t, size_t n);

/*  Cores, CPU model, kernel: one line each, indented by two spaces.       */
void gl_bench_print_machine (FILE *out);

/*  ---------------------------------------------------------------------
 *  Documents.                                                              */

typedef struct {
    char *bytes;
    size_t len;
} gl_bench_doc_t;

/*  n generated reports (gl_gen.h, seeds first..first+n-1, mixed layouts
 *  and editions, no defects), or NULL when out of memory.                 */
gl_bench_doc_t *gl_bench_docs_new (size_t n, uint64_t first);
void gl_bench_docs_free (gl_bench_doc_t *docs, size_t n);

/*  Encodes a "document" message with this id into sb (reset first).      */
int gl_bench_encode (msgpack_sbuffer *sb, const char *id,
                     const gl_bench_doc_t *doc);

/*  ---------------------------------------------------------------------
 *  The daemon as a child process.                                          */

typedef enum { GL_BENCH_TCP = 0, GL_BENCH_IPC = 1 } gl_bench_transport_t;

const char *gl_bench_transport_name (gl_bench_transport_t t);

/*  The transport of that name ("tcp", "ipc") in *t.  Returns false for any
 *  other name.                                                             */
bool gl_bench_transport_parse (const char *name, gl_bench_transport_t *t);

/*  An endpoint nobody listens on: tcp://127.0.0.1:PORT with a port the
 *  kernel just handed out, or ipc://DIR/NAME.  Returns 0 or -1.           */
int gl_bench_endpoint (gl_bench_transport_t t, const char *dir,
                       const char *name, char *out, size_t len);

/*  The daemon, or a gidlint-broker and the daemons behind it: one list of
 *  child processes, started and stopped by one path.                      */
#define GL_BENCH_DAEMONS_MAX 64

typedef struct {
    pid_t pid;                  /* 0 when not running                       */
    char name[32];              /* the daemon's --name; "broker"            */
    char log[320];              /* its stdout and stderr                    */
} gl_bench_proc_t;

typedef struct {
    gl_bench_proc_t procs[GL_BENCH_DAEMONS_MAX + 1];   /* the broker first  */
    size_t n_procs;             /* started so far                           */
    bool broker;                /* procs[0] is a broker, the rest daemons   */
    int daemons;                /* how many gidlintd                        */
    int workers;                /* lint threads of each                     */
    char dir[256];              /* temp dir: ipc sockets, logs, config      */
    /* What a client connects to: the daemon's sockets, or the broker's
       frontends (route: the broker's relay by name; "" without one). */
    char ingest[320], results[320], control[320], route[320];
} gl_bench_daemon_t;

/*  The gidlintd next to this program, into out: in argv0's directory when
 *  argv0 names one (so the path reads as the user typed it), else in the
 *  directory of /proc/self/exe.  Returns 0 when it can be run.            */
int gl_bench_default_daemon (const char *argv0, char *out, size_t len);

/*  The gidlint-broker next to the gidlintd at daemon, into out.          */
void gl_bench_default_broker (const char *daemon, char *out, size_t len);

/*  Starts gidlintd (path) with fresh endpoints of transport t, `workers`
 *  lint threads, periodic stats off and warnings-only logging; extra
 *  (NULL-terminated, may be NULL) are more arguments for it.  With broker
 *  (the gidlint-broker to run; NULL: none), starts the broker on fresh
 *  endpoints and `daemons` gidlintd named d1, d2, ... connected to its
 *  backends; clients then use its frontends.  Waits up to timeout seconds
 *  for a health reply: on the daemon's control socket, or from every
 *  daemon by name through the broker's route relay (so that all of them
 *  are connected).  Returns 0, or -1 with a message on stderr (and the
 *  logs), everything stopped.                                             */
int gl_bench_daemon_start (gl_bench_daemon_t *d, const char *path,
                           const char *broker, int daemons,
                           gl_bench_transport_t t, int workers,
                           const char *const *extra, double timeout);
/*  SIGTERM to each process, the daemons before the broker, and wait
 *  (SIGKILL after timeout seconds); removes the temp dir.  Returns 0 when
 *  every one exited 0, else the first other exit status, or -1.           */
int gl_bench_daemon_stop (gl_bench_daemon_t *d, double timeout);

/*  The index of the first daemon in d->procs (after the broker).         */
size_t gl_bench_daemon_first (const gl_bench_daemon_t *d);

/*  A field of /proc/PID/status in kB ("VmRSS", "VmHWM"), or -1.          */
long gl_bench_proc_kb (pid_t pid, const char *field);

/*  Health round trips over a DEALER socket to control: n requests one
 *  after the other; rtt (n seconds) gets each.  Returns the number
 *  answered (waits at most timeout seconds for each).                    */
size_t gl_bench_health_rtt (void *ctx, const char *control, size_t n,
                            double *rtt, double timeout);

/*  ---------------------------------------------------------------------
 *  A producer and a subscriber.                                            */

typedef struct gl_bench_sess gl_bench_sess_t;

/*  Connects a PUSH socket to ingest and a SUB socket (results/ and
 *  reject/) to results, and starts the subscriber thread; cap is the most
 *  documents one phase may send.  NULL on failure (message on stderr).   */
gl_bench_sess_t *gl_bench_sess_open (void *ctx, const char *ingest,
                                     const char *results, size_t cap);
void gl_bench_sess_close (gl_bench_sess_t *s);

/*  Sends n probes (n <= cap) and sends again those unanswered until every
 *  result has come back (the subscription is then in place; behind a
 *  broker, n of a few per daemon reach each of them).  Returns 0, or -1
 *  after timeout seconds.                                                 */
int gl_bench_sess_probe (gl_bench_sess_t *s, const gl_bench_doc_t *doc,
                         size_t n, double timeout);

/*  Starts a phase of n documents (n <= cap): results of earlier phases
 *  are ignored from now on.                                                */
void gl_bench_sess_begin (gl_bench_sess_t *s, size_t n);
/*  Sends document i of the phase (id "PHASE:i") with body doc; blocks
 *  while ZeroMQ's queues are full.  Returns the monotonic time just
 *  before the send, or a negative value on failure.                       */
double gl_bench_sess_send (gl_bench_sess_t *s, size_t i,
                           const gl_bench_doc_t *doc);
/*  Results (and rejects) of this phase received so far.                   */
size_t gl_bench_sess_count (gl_bench_sess_t *s);
/*  Waits until every document of the phase has its result, or nothing
 *  came for stall seconds; ends the phase.  Returns the number received. */
size_t gl_bench_sess_end (gl_bench_sess_t *s, double stall);
/*  After gl_bench_sess_end: when each result arrived (monotonic seconds;
 *  0 for a missing one), and how many were rejects.                       */
const double *gl_bench_sess_times (const gl_bench_sess_t *s);
size_t gl_bench_sess_rejects (const gl_bench_sess_t *s);

#endif
