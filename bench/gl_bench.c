/*  gl_bench.c: see gl_bench.h.
 *
 *  The subscriber runs on its own thread so that the producer's pacing is
 *  never held up by reading results; the two share only the phase table
 *  (times of receipt, counters), under one mutex that each side holds for
 *  a few instructions.  The producer's send times stay with the producer.
 */
#define _GNU_SOURCE
#include "gl_bench.h"
#include "gl_gen.h"
#include "gl_wire.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/*  ---------------------------------------------------------------------
 *  Clocks and statistics.                                                 */

bool
gl_bench_parse_long (const char *v, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long x = strtol (v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return false;
    *out = x;
    return true;
}

double
gl_bench_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void
gl_bench_sleep_until (double t)
{
    if (t <= gl_bench_now ())
        return;
    struct timespec ts;
    ts.tv_sec = (time_t) t;
    ts.tv_nsec = (long) ((t - (double) ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static int
s_cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

void
gl_bench_sort (double *v, size_t n)
{
    if (n > 1)
        qsort (v, n, sizeof *v, s_cmp_double);
}

double
gl_bench_median (double *v, size_t n)
{
    if (n == 0)
        return 0;
    gl_bench_sort (v, n);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
gl_bench_quantile (const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    double r = ceil (p * (double) n);
    size_t i = r < 1 ? 0 : (size_t) r - 1;
    return sorted[i < n ? i : n - 1];
}

double
gl_bench_steady_rate (double *t, size_t n)
{
    if (n < 2)
        return 0;
    gl_bench_sort (t, n);
    size_t lo = n / 10, hi = n - 1 - n / 10;
    if (hi <= lo) {
        lo = 0;
        hi = n - 1;
    }
    double dt = t[hi] - t[lo];
    return dt > 0 ? (double) (hi - lo) / dt : 0;
}

void
gl_bench_print_machine (FILE *out)
{
    long cores = sysconf (_SC_NPROCESSORS_ONLN);
    char model[256] = "unknown";
    FILE *f = fopen ("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets (line, sizeof line, f)) {
            if (!strncmp (line, "model name", 10)) {
                char *p = strchr (line, ':');
                if (p) {
                    p++;
                    while (*p == ' ' || *p == '\t')
                        p++;
                    p[strcspn (p, "\n")] = '\0';
                    snprintf (model, sizeof model, "%s", p);
                }
                break;
            }
        }
        fclose (f);
    }
    long mem_kb = -1;
    f = fopen ("/proc/meminfo", "r");
    if (f) {
        char line[256];
        while (fgets (line, sizeof line, f))
            if (sscanf (line, "MemTotal: %ld kB", &mem_kb) == 1)
                break;
        fclose (f);
    }
    struct utsname u;
    if (uname (&u) != 0)
        memset (&u, 0, sizeof u);
    fprintf (out, "machine: %ld cores, CPU %s, %.1f GB RAM, %s %s %s\n", cores,
             model, mem_kb > 0 ? (double) mem_kb / 1048576.0 : 0.0, u.sysname,
             u.release, u.machine);
}

/*  ---------------------------------------------------------------------
 *  Documents.                                                              */

gl_bench_doc_t *
gl_bench_docs_new (size_t n, uint64_t first)
{
    gl_bench_doc_t *docs = calloc (n ? n : 1, sizeof *docs);
    if (!docs)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        docs[i].bytes = gl_gen_report (first + i, NULL, &docs[i].len, NULL);
        if (!docs[i].bytes) {
            gl_bench_docs_free (docs, i);
            return NULL;
        }
    }
    return docs;
}

void
gl_bench_docs_free (gl_bench_doc_t *docs, size_t n)
{
    if (!docs)
        return;
    for (size_t i = 0; i < n; i++)
        free (docs[i].bytes);
    free (docs);
}

int
gl_bench_encode (msgpack_sbuffer *sb, const char *id, const gl_bench_doc_t *doc)
{
    msgpack_sbuffer_clear (sb);
    gl_wire_doc_t d = {
        .id = id,
        .body = doc->bytes,
        .body_len = doc->len,
        .source = "bench",
    };
    return gl_wire_encode_document (sb, &d);
}

/*  ---------------------------------------------------------------------
 *  The daemon as a child process.                                          */

const char *
gl_bench_transport_name (gl_bench_transport_t t)
{
    return t == GL_BENCH_IPC ? "ipc" : "tcp";
}

bool
gl_bench_transport_parse (const char *name, gl_bench_transport_t *t)
{
    for (int k = GL_BENCH_TCP; k <= GL_BENCH_IPC; k++)
        if (strcmp (name, gl_bench_transport_name ((gl_bench_transport_t) k)) == 0) {
            *t = (gl_bench_transport_t) k;
            return true;
        }
    return false;
}

int
gl_bench_endpoint (gl_bench_transport_t t, const char *dir, const char *name,
                   char *out, size_t len)
{
    if (t == GL_BENCH_IPC) {
        int n = snprintf (out, len, "ipc://%s/%s", dir, name);
        return n > 0 && (size_t) n < len ? 0 : -1;
    }
    /* Bind port 0 and let it go: the kernel hands out ports in turn, so
       the daemon gets one that nobody else was just given. */
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a;
    memset (&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    int rc = -1;
    if (bind (fd, (struct sockaddr *) &a, sizeof a) == 0
        && getsockname (fd, (struct sockaddr *) &a, &alen) == 0) {
        snprintf (out, len, "tcp://127.0.0.1:%u", (unsigned) ntohs (a.sin_port));
        rc = 0;
    }
    close (fd);
    return rc;
}

int
gl_bench_default_daemon (const char *argv0, char *out, size_t len)
{
    const char *slash0 = argv0 ? strrchr (argv0, '/') : NULL;
    if (slash0) {
        snprintf (out, len, "%.*s/gidlintd", (int) (slash0 - argv0), argv0);
        if (access (out, X_OK) == 0)
            return 0;
    }
    char self[4096];
    ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr (self, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    snprintf (out, len, "%s/gidlintd", self);
    return access (out, X_OK);
}

void
gl_bench_default_broker (const char *daemon, char *out, size_t len)
{
    const char *slash = strrchr (daemon, '/');
    if (slash)
        snprintf (out, len, "%.*s/gidlint-broker", (int) (slash - daemon), daemon);
    else
        snprintf (out, len, "gidlint-broker");      /* as execv finds gidlintd */
}

size_t
gl_bench_daemon_first (const gl_bench_daemon_t *d)
{
    return d->broker ? 1 : 0;
}

/*  The last lines of a process's log, to stderr.                         */
static void
s_show_log (const gl_bench_proc_t *p)
{
    FILE *f = fopen (p->log, "r");
    if (!f)
        return;
    char buf[4096];
    fseek (f, 0, SEEK_END);
    long size = ftell (f);
    fseek (f, size > (long) sizeof buf - 1 ? size - (long) sizeof buf + 1 : 0, SEEK_SET);
    size_t n = fread (buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose (f);
    if (n)
        fprintf (stderr, "gidlint-bench: the log of %s (%s) ends:\n%s\n", p->name, p->log, buf);
}

static void
s_rm_dir (const char *dir)
{
    DIR *dh = opendir (dir);
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir (dh))) {
        if (!strcmp (de->d_name, ".") || !strcmp (de->d_name, ".."))
            continue;
        char p[600];
        snprintf (p, sizeof p, "%s/%s", dir, de->d_name);
        unlink (p);
    }
    closedir (dh);
    rmdir (dir);
}

/*  Reads one reply (all frames) from a DEALER: the empty delimiter, then
 *  the message; through a broker's route relay, the daemon's name (prefix)
 *  first, and a broker that has no daemon of that name answers [name]
 *  [refused] instead.  Returns true when the first frame is prefix (when
 *  given) and the last decodes as type want.                               */
static bool
s_read_reply (void *sock, const char *prefix, const char *want)
{
    bool ok = false, match = prefix == NULL;
    int more = 1, frame = 0;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        if (zmq_msg_recv (&m, sock, 0) < 0) {
            zmq_msg_close (&m);
            return false;
        }
        more = zmq_msg_more (&m);
        if (frame == 0 && prefix)
            match = zmq_msg_size (&m) == strlen (prefix)
                    && !memcmp (zmq_msg_data (&m), prefix, strlen (prefix));
        if (!more && frame > 0) {
            static const gl_wire_limits_t lim = { (size_t) 1 << 24, 0, GL_WIRE_MAX_DEPTH };
            gl_wire_msg_t msg;
            gl_wire_error_t err;
            if (gl_wire_decode_msg (zmq_msg_data (&m), zmq_msg_size (&m), &lim,
                                    &msg, &err) == GL_OK)
                ok = msg.type_len == strlen (want)
                    && !memcmp (msg.type, want, msg.type_len);
            gl_wire_msg_fini (&msg);
        }
        zmq_msg_close (&m);
        frame++;
    }
    return ok && match;
}

/*  A health request; prefix (the daemon's name, through the route relay)
 *  before it when given.                                                    */
static int
s_send_health (void *sock, const char *prefix)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    int rc = -1;
    if (gl_wire_encode_health_req (&sb) == 0
        && (!prefix || zmq_send (sock, prefix, strlen (prefix), ZMQ_SNDMORE) >= 0)
        && zmq_send (sock, "", 0, ZMQ_SNDMORE) == 0
        && zmq_send (sock, sb.data, sb.size, 0) == (int) sb.size)
        rc = 0;
    msgpack_sbuffer_destroy (&sb);
    return rc;
}

static void *
s_dealer (void *ctx, const char *control)
{
    void *sock = zmq_socket (ctx, ZMQ_DEALER);
    int linger = 0;
    if (sock) {
        zmq_setsockopt (sock, ZMQ_LINGER, &linger, sizeof linger);
        if (zmq_connect (sock, control) != 0) {
            zmq_close (sock);
            sock = NULL;
        }
    }
    return sock;
}

/*  True when one of the processes has exited (it is reaped, and said).   */
static bool
s_one_exited (gl_bench_daemon_t *d)
{
    for (size_t i = 0; i < d->n_procs; i++) {
        gl_bench_proc_t *p = &d->procs[i];
        int status;
        if (p->pid > 0 && waitpid (p->pid, &status, WNOHANG) == p->pid) {
            fprintf (stderr, "gidlint-bench: %s exited at start (status %d)\n", p->name,
                     WIFEXITED (status) ? WEXITSTATUS (status) : -1);
            p->pid = 0;
            return true;
        }
    }
    return false;
}

/*  Waits until time t_end for a health reply on endpoint, from the daemon
 *  called name through the route relay when name is given.  A DEALER
 *  queues the request until the connection is up, so one send is enough;
 *  it is repeated now and then in case the first was lost with a refused
 *  connection, and soon after the broker refuses it (the daemon has not
 *  connected to it yet).                                                   */
static int
s_wait_health (gl_bench_daemon_t *d, void *ctx, const char *endpoint,
               const char *name, double t_end)
{
    void *sock = s_dealer (ctx, endpoint);
    int rc = -1;
    if (!sock) {
        fprintf (stderr, "gidlint-bench: cannot connect to %s: %s\n", endpoint,
                 zmq_strerror (zmq_errno ()));
        return -1;
    }
    double last = 0, every = 1.0;
    while (gl_bench_now () < t_end) {
        if (s_one_exited (d))
            goto out;
        if (gl_bench_now () - last > every) {
            if (s_send_health (sock, name) != 0)
                goto out;
            last = gl_bench_now ();
        }
        zmq_pollitem_t it = { sock, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll (&it, 1, 50) > 0) {
            if (s_read_reply (sock, name, "health")) {
                rc = 0;
                goto out;
            }
            last = gl_bench_now () - every + 0.05;      /* refused: again soon */
        }
    }
    fprintf (stderr, "gidlint-bench: no health reply%s%s from %s in time\n",
             name ? " for " : "", name ? name : "", endpoint);
out:
    zmq_close (sock);
    return rc;
}

/*  Forks and executes argv (NULL-terminated), its output into a log in
 *  d->dir named after name; appends it to d->procs.                        */
static int
s_spawn (gl_bench_daemon_t *d, const char *name, const char *const *argv)
{
    gl_bench_proc_t *p = &d->procs[d->n_procs];
    snprintf (p->name, sizeof p->name, "%s", name);
    snprintf (p->log, sizeof p->log, "%s/%s.log", d->dir, name);
    fflush (NULL);
    pid_t pid = fork ();
    if (pid < 0) {
        fprintf (stderr, "gidlint-bench: fork: %s\n", strerror (errno));
        return -1;
    }
    if (pid == 0) {
        int fd = open (p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2 (fd, STDOUT_FILENO);
            dup2 (fd, STDERR_FILENO);
            close (fd);
        }
        execv (argv[0], (char *const *) argv);
        fprintf (stderr, "exec %s: %s\n", argv[0], strerror (errno));
        _exit (127);
    }
    p->pid = pid;
    d->n_procs++;
    return 0;
}

/*  The broker's INI file (its sections as gidlint-broker reads them),
 *  with fresh frontends (into d) and backends (into back: ingest, results,
 *  control, route).                                                        */
static int
s_broker_conf (gl_bench_daemon_t *d, gl_bench_transport_t t, const char *conf,
               char back[4][320])
{
    static const char *const keys[4] = { "ingest", "results", "control", "route" };
    char *front[4] = { d->ingest, d->results, d->control, d->route };
    FILE *f = fopen (conf, "w");
    if (!f) {
        fprintf (stderr, "gidlint-bench: cannot write %s: %s\n", conf, strerror (errno));
        return -1;
    }
    int rc = 0;
    fprintf (f, "[broker]\nlog_level = warn\n[frontend]\n");
    for (int i = 0; i < 4 && rc == 0; i++) {
        rc = gl_bench_endpoint (t, d->dir, keys[i], front[i], 320);
        fprintf (f, "%s = %s\n", keys[i], front[i]);
    }
    fprintf (f, "[backend]\n");
    for (int i = 0; i < 4 && rc == 0; i++) {
        char name[32];
        snprintf (name, sizeof name, "back-%s", keys[i]);
        rc = gl_bench_endpoint (t, d->dir, name, back[i], 320);
        fprintf (f, "%s = %s\n", keys[i], back[i]);
    }
    if (fclose (f) != 0 || rc != 0) {
        fprintf (stderr, "gidlint-bench: no free endpoint\n");
        return -1;
    }
    return 0;
}

int
gl_bench_daemon_start (gl_bench_daemon_t *d, const char *path,
                       const char *broker, int daemons,
                       gl_bench_transport_t t, int workers,
                       const char *const *extra, double timeout)
{
    memset (d, 0, sizeof *d);
    d->broker = broker != NULL;
    d->daemons = broker ? daemons : 1;
    d->workers = workers;
    if (d->daemons < 1 || d->daemons > GL_BENCH_DAEMONS_MAX) {
        fprintf (stderr, "gidlint-bench: %d daemons: from 1 to %d\n", d->daemons,
                 GL_BENCH_DAEMONS_MAX);
        return -1;
    }
    const char *tmp = getenv ("TMPDIR");
    snprintf (d->dir, sizeof d->dir, "%s/gidlint-bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp (d->dir)) {
        fprintf (stderr, "gidlint-bench: mkdtemp %s: %s\n", d->dir, strerror (errno));
        d->dir[0] = '\0';
        return -1;
    }
    char wbuf[32];
    snprintf (wbuf, sizeof wbuf, "%d", workers);
    const char *argv[64];
    size_t argc = 0;
    /* Alone, the daemon binds the endpoints clients use; behind the
       broker, each daemon connects to the broker's backends, its control
       socket to both the load-balanced one and the route relay. */
    char ingest[330], results[330], control[660];
    if (broker) {
        char conf[300], back[4][320];
        snprintf (conf, sizeof conf, "%s/broker.conf", d->dir);
        if (s_broker_conf (d, t, conf, back) != 0)
            goto fail;
        const char *bargv[] = { broker, "--config", conf, NULL };
        if (s_spawn (d, "gidlint-broker", bargv) != 0)
            goto fail;
        snprintf (ingest, sizeof ingest, ">%s", back[0]);
        snprintf (results, sizeof results, ">%s", back[1]);
        snprintf (control, sizeof control, ">%s,>%s", back[2], back[3]);
    }
    else {
        if (gl_bench_endpoint (t, d->dir, "ingest", d->ingest, sizeof d->ingest)
            || gl_bench_endpoint (t, d->dir, "results", d->results, sizeof d->results)
            || gl_bench_endpoint (t, d->dir, "control", d->control, sizeof d->control)) {
            fprintf (stderr, "gidlint-bench: no free endpoint\n");
            goto fail;
        }
        snprintf (ingest, sizeof ingest, "%s", d->ingest);
        snprintf (results, sizeof results, "%s", d->results);
        snprintf (control, sizeof control, "%s", d->control);
    }
    for (int k = 1; k <= d->daemons; k++) {
        char name[32] = "gidlintd";
        if (broker)
            snprintf (name, sizeof name, "d%d", k);
        argc = 0;
        argv[argc++] = path;
        if (broker) {
            argv[argc++] = "--name";
            argv[argc++] = name;
        }
        const char *common[] = { "--workers", wbuf, "--ingest", ingest, "--results", results,
                                 "--control", control, "--stats-interval", "0",
                                 "--log-level", "warn" };
        for (size_t i = 0; i < sizeof common / sizeof *common; i++)
            argv[argc++] = common[i];
        for (size_t i = 0; extra && extra[i] && argc < 63; i++)
            argv[argc++] = extra[i];
        argv[argc] = NULL;
        if (s_spawn (d, name, argv) != 0)
            goto fail;
    }

    /* Ready when the daemon answers health; behind the broker, when every
       daemon does by name, so that all are connected before measuring. */
    double t_end = gl_bench_now () + timeout;
    void *ctx = zmq_ctx_new ();
    int rc = ctx ? 0 : -1;
    if (!broker && rc == 0)
        rc = s_wait_health (d, ctx, d->control, NULL, t_end);
    for (size_t i = gl_bench_daemon_first (d); broker && rc == 0 && i < d->n_procs; i++)
        rc = s_wait_health (d, ctx, d->route, d->procs[i].name, t_end);
    if (ctx)
        zmq_ctx_term (ctx);
    if (rc == 0)
        return 0;
    for (size_t i = 0; i < d->n_procs; i++)
        s_show_log (&d->procs[i]);
fail:
    gl_bench_daemon_stop (d, 5);
    return -1;
}

/*  SIGTERM to procs[from..to), then waits for them all until timeout.    */
static int
s_stop_procs (gl_bench_daemon_t *d, size_t from, size_t to, double timeout)
{
    for (size_t i = from; i < to; i++)
        if (d->procs[i].pid > 0)
            kill (d->procs[i].pid, SIGTERM);
    double t0 = gl_bench_now ();
    int result = 0;
    for (size_t i = from; i < to; i++) {
        gl_bench_proc_t *p = &d->procs[i];
        if (p->pid <= 0)
            continue;
        int status = 0, st = -1;
        bool done = false;
        while (!done && gl_bench_now () - t0 < timeout) {
            if (waitpid (p->pid, &status, WNOHANG) == p->pid)
                done = true;
            else
                gl_bench_sleep_until (gl_bench_now () + 0.01);
        }
        if (!done) {
            fprintf (stderr, "gidlint-bench: %s did not stop in %.0f s; killed\n", p->name,
                     timeout);
            kill (p->pid, SIGKILL);
            waitpid (p->pid, &status, 0);
        }
        else
            st = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        if (st != 0) {
            s_show_log (p);
            if (result == 0)
                result = st;
        }
        p->pid = 0;
    }
    return result;
}

int
gl_bench_daemon_stop (gl_bench_daemon_t *d, double timeout)
{
    bool any = false;
    for (size_t i = 0; i < d->n_procs; i++)
        any |= d->procs[i].pid > 0;
    /* The daemons first: what they still publish goes out through the
       broker. */
    size_t first = gl_bench_daemon_first (d);
    int result = s_stop_procs (d, first < d->n_procs ? first : d->n_procs, d->n_procs, timeout);
    int rb = s_stop_procs (d, 0, first < d->n_procs ? first : d->n_procs, timeout);
    if (result == 0)
        result = rb;
    d->n_procs = 0;
    if (d->dir[0])
        s_rm_dir (d->dir);
    d->dir[0] = '\0';
    return any ? result : -1;
}

long
gl_bench_proc_kb (pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf (path, sizeof path, "/proc/%ld/status", (long) pid);
    FILE *f = fopen (path, "r");
    if (!f)
        return -1;
    size_t n = strlen (field);
    long kb = -1;
    while (fgets (line, sizeof line, f))
        if (!strncmp (line, field, n) && line[n] == ':') {
            kb = strtol (line + n + 1, NULL, 10);
            break;
        }
    fclose (f);
    return kb;
}

size_t
gl_bench_health_rtt (void *ctx, const char *control, size_t n, double *rtt,
                     double timeout)
{
    void *sock = s_dealer (ctx, control);
    if (!sock)
        return 0;
    size_t got = 0;
    /* One request first, not counted: it pays for the connection. */
    for (size_t i = 0; i <= n; i++) {
        double t0 = gl_bench_now ();
        if (s_send_health (sock, NULL) != 0)
            break;
        zmq_pollitem_t it = { sock, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll (&it, 1, (long) (timeout * 1000)) <= 0
            || !s_read_reply (sock, NULL, "health"))
            break;
        if (i > 0)
            rtt[got++] = gl_bench_now () - t0;
    }
    zmq_close (sock);
    return got;
}

/*  ---------------------------------------------------------------------
 *  A producer and a subscriber.                                            */

struct gl_bench_sess {
    void *push, *sub;
    pthread_t thread;
    bool thread_started;
    atomic_bool stop;
    msgpack_sbuffer sb;

    pthread_mutex_t mu;         /* guards what follows                       */
    pthread_cond_t cv;
    unsigned phase;
    size_t n, cap, count, rejects;
    double *times;
};

/*  "PHASE:INDEX" -> phase and index; false for anything else.             */
static bool
s_parse_id (const char *s, size_t len, unsigned *phase, size_t *index)
{
    char buf[48];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy (buf, s, len);
    buf[len] = '\0';
    char *colon = strchr (buf, ':'), *end = NULL;
    if (!colon)
        return false;
    *colon = '\0';
    unsigned long p = strtoul (buf, &end, 10);
    if (*end)
        return false;
    unsigned long long i = strtoull (colon + 1, &end, 10);
    if (*end)
        return false;
    *phase = (unsigned) p;
    *index = (size_t) i;
    return true;
}

/*  The subscriber's fast path: "type" and "id" of a result or reject read
 *  straight from the bytes.  Both come before any map or array in what
 *  gidlintd writes (seq, v, type, epoch, daemon, id, …), so the scan steps
 *  over scalars only and stops at "id"; anything else (a map or array
 *  first, a truncated message) returns false and the message is decoded
 *  in full.  This keeps the benchmark's own cost per result small beside
 *  the daemon's, on the same cores.                                        */
static bool
s_str_at (const uint8_t *p, size_t n, size_t *at, const char **s, size_t *len)
{
    size_t i = *at, l;
    if (i >= n)
        return false;
    uint8_t b = p[i++];
    if ((b & 0xe0) == 0xa0)
        l = b & 0x1f;
    else if (b == 0xd9 && i + 1 <= n)
        l = p[i++];
    else if (b == 0xda && i + 2 <= n) {
        l = (size_t) p[i] << 8 | p[i + 1];
        i += 2;
    }
    else
        return false;
    if (l > n - i)
        return false;
    *s = (const char *) p + i;
    *len = l;
    *at = i + l;
    return true;
}

static bool
s_skip_scalar (const uint8_t *p, size_t n, size_t *at)
{
    const char *s;
    size_t l;
    if (*at >= n)
        return false;
    uint8_t b = p[*at];
    static const uint8_t fixed[] = { [0xc0] = 1, [0xc2] = 1, [0xc3] = 1,
                                     [0xca] = 5, [0xcb] = 9, [0xcc] = 2,
                                     [0xcd] = 3, [0xce] = 5, [0xcf] = 9,
                                     [0xd0] = 2, [0xd1] = 3, [0xd2] = 5,
                                     [0xd3] = 9 };
    if (b <= 0x7f || b >= 0xe0) {
        (*at)++;
        return true;
    }
    if (b < sizeof fixed && fixed[b]) {
        if (fixed[b] > n - *at)
            return false;
        *at += fixed[b];
        return true;
    }
    return s_str_at (p, n, at, &s, &l);
}

static bool
s_peek_id (const void *data, size_t n, const char **id, size_t *id_len,
           bool *reject)
{
    const uint8_t *p = data;
    size_t at = 0, entries;
    if (n < 1)
        return false;
    if ((p[0] & 0xf0) == 0x80) {
        entries = p[0] & 0x0f;
        at = 1;
    }
    else if (p[0] == 0xde && n >= 3) {
        entries = (size_t) p[1] << 8 | p[2];
        at = 3;
    }
    else
        return false;
    *reject = false;
    for (size_t e = 0; e < entries; e++) {
        const char *k, *v;
        size_t kl, vl;
        if (!s_str_at (p, n, &at, &k, &kl))
            return false;
        if ((kl == 2 && !memcmp (k, "id", 2)) || (kl == 4 && !memcmp (k, "type", 4))) {
            if (!s_str_at (p, n, &at, &v, &vl))
                return false;
            if (kl == 2) {
                *id = v;
                *id_len = vl;
                return true;
            }
            *reject = vl == 6 && !memcmp (v, "reject", 6);
        }
        else if (!s_skip_scalar (p, n, &at))
            return false;
    }
    return false;
}

static void *
s_sub_main (void *arg)
{
    gl_bench_sess_t *s = arg;
    static const gl_wire_limits_t lim = { (size_t) 1 << 30, 0, GL_WIRE_MAX_DEPTH };
    while (!atomic_load (&s->stop)) {
        zmq_msg_t topic, payload;
        zmq_msg_init (&topic);
        if (zmq_msg_recv (&topic, s->sub, 0) < 0) {
            zmq_msg_close (&topic);
            continue;           /* timeout (ZMQ_RCVTIMEO): look at stop */
        }
        bool more = zmq_msg_more (&topic);
        zmq_msg_close (&topic);
        if (!more)
            continue;
        zmq_msg_init (&payload);
        if (zmq_msg_recv (&payload, s->sub, 0) < 0) {
            zmq_msg_close (&payload);
            continue;
        }
        double t = gl_bench_now ();
        while (zmq_msg_more (&payload)) {       /* not the protocol: skip */
            zmq_msg_close (&payload);
            zmq_msg_init (&payload);
            if (zmq_msg_recv (&payload, s->sub, 0) < 0)
                break;
        }
        gl_wire_msg_t msg;
        gl_wire_error_t err;
        const char *id;
        size_t id_len, index;
        unsigned phase;
        bool reject = false, full = false;
        bool found = s_peek_id (zmq_msg_data (&payload), zmq_msg_size (&payload),
                                &id, &id_len, &reject);
        if (!found) {
            full = true;
            found = gl_wire_decode_msg (zmq_msg_data (&payload),
                                        zmq_msg_size (&payload), &lim, &msg,
                                        &err) == GL_OK
                    && gl_wire_get_str (&msg.root, "id", &id, &id_len);
            reject = found && msg.type_len == 6 && !memcmp (msg.type, "reject", 6);
        }
        if (found && s_parse_id (id, id_len, &phase, &index)) {
            pthread_mutex_lock (&s->mu);
            if (phase == s->phase && index < s->n && s->times[index] == 0) {
                s->times[index] = t;
                s->count++;
                s->rejects += reject;
                pthread_cond_signal (&s->cv);
            }
            pthread_mutex_unlock (&s->mu);
        }
        if (full)
            gl_wire_msg_fini (&msg);
        zmq_msg_close (&payload);
    }
    return NULL;
}

gl_bench_sess_t *
gl_bench_sess_open (void *ctx, const char *ingest, const char *results,
                    size_t cap)
{
    gl_bench_sess_t *s = calloc (1, sizeof *s);
    if (!s)
        return NULL;
    s->cap = cap ? cap : 1;
    s->times = calloc (s->cap, sizeof *s->times);
    pthread_mutex_init (&s->mu, NULL);
    pthread_cond_init (&s->cv, NULL);
    msgpack_sbuffer_init (&s->sb);
    atomic_init (&s->stop, false);
    s->push = zmq_socket (ctx, ZMQ_PUSH);
    s->sub = zmq_socket (ctx, ZMQ_SUB);
    if (!s->times || !s->push || !s->sub) {
        fprintf (stderr, "gidlint-bench: out of memory or sockets\n");
        gl_bench_sess_close (s);
        return NULL;
    }
    int zero = 0, timeo = 100;
    zmq_setsockopt (s->push, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt (s->sub, ZMQ_LINGER, &zero, sizeof zero);
    /* The subscriber keeps everything it is sent: if it falls behind, the
       queue grows here rather than results being dropped for it. */
    zmq_setsockopt (s->sub, ZMQ_RCVHWM, &zero, sizeof zero);
    zmq_setsockopt (s->sub, ZMQ_RCVTIMEO, &timeo, sizeof timeo);
    zmq_setsockopt (s->sub, ZMQ_SUBSCRIBE, "result/", 7);
    zmq_setsockopt (s->sub, ZMQ_SUBSCRIBE, "reject/", 7);
    if (zmq_connect (s->sub, results) != 0 || zmq_connect (s->push, ingest) != 0) {
        fprintf (stderr, "gidlint-bench: cannot connect to %s / %s: %s\n", ingest,
                 results, zmq_strerror (zmq_errno ()));
        gl_bench_sess_close (s);
        return NULL;
    }
    if (pthread_create (&s->thread, NULL, s_sub_main, s) != 0) {
        fprintf (stderr, "gidlint-bench: cannot start the subscriber thread\n");
        gl_bench_sess_close (s);
        return NULL;
    }
    s->thread_started = true;
    return s;
}

void
gl_bench_sess_close (gl_bench_sess_t *s)
{
    if (!s)
        return;
    atomic_store (&s->stop, true);
    if (s->thread_started)
        pthread_join (s->thread, NULL);
    if (s->push)
        zmq_close (s->push);
    if (s->sub)
        zmq_close (s->sub);
    msgpack_sbuffer_destroy (&s->sb);
    pthread_cond_destroy (&s->cv);
    pthread_mutex_destroy (&s->mu);
    free (s->times);
    free (s);
}

void
gl_bench_sess_begin (gl_bench_sess_t *s, size_t n)
{
    pthread_mutex_lock (&s->mu);
    s->phase++;
    s->n = n < s->cap ? n : s->cap;
    s->count = 0;
    s->rejects = 0;
    memset (s->times, 0, s->cap * sizeof *s->times);
    pthread_mutex_unlock (&s->mu);
}

double
gl_bench_sess_send (gl_bench_sess_t *s, size_t i, const gl_bench_doc_t *doc)
{
    char id[48];
    pthread_mutex_lock (&s->mu);
    unsigned phase = s->phase;
    pthread_mutex_unlock (&s->mu);
    snprintf (id, sizeof id, "%u:%zu", phase, i);
    if (gl_bench_encode (&s->sb, id, doc) != 0)
        return -1;
    double t = gl_bench_now ();
    while (zmq_send (s->push, s->sb.data, s->sb.size, 0) < 0)
        if (zmq_errno () != EINTR)
            return -1;
    return t;
}

size_t
gl_bench_sess_count (gl_bench_sess_t *s)
{
    pthread_mutex_lock (&s->mu);
    size_t n = s->count;
    pthread_mutex_unlock (&s->mu);
    return n;
}

size_t
gl_bench_sess_end (gl_bench_sess_t *s, double stall)
{
    pthread_mutex_lock (&s->mu);
    size_t last = s->count;
    double since = gl_bench_now ();
    while (s->count < s->n) {
        struct timespec ts;
        clock_gettime (CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait (&s->cv, &s->mu, &ts);
        if (s->count != last) {
            last = s->count;
            since = gl_bench_now ();
        }
        else if (gl_bench_now () - since > stall)
            break;
    }
    size_t n = s->count;
    s->phase++;                 /* late results no longer count */
    pthread_mutex_unlock (&s->mu);
    return n;
}

const double *
gl_bench_sess_times (const gl_bench_sess_t *s)
{
    return s->times;
}

size_t
gl_bench_sess_rejects (const gl_bench_sess_t *s)
{
    return s->rejects;
}

/*  Whether document i of this phase has its result.                     */
static bool
s_answered (gl_bench_sess_t *s, size_t i)
{
    pthread_mutex_lock (&s->mu);
    bool yes = s->times[i] > 0;
    pthread_mutex_unlock (&s->mu);
    return yes;
}

int
gl_bench_sess_probe (gl_bench_sess_t *s, const gl_bench_doc_t *doc, size_t n,
                     double timeout)
{
    n = n < 1 ? 1 : n > s->cap ? s->cap : n;
    gl_bench_sess_begin (s, n);
    double t0 = gl_bench_now ();
    while (gl_bench_now () - t0 < timeout) {
        bool failed = false;
        for (size_t i = 0; i < n && !failed; i++)
            if (!s_answered (s, i))
                failed = gl_bench_sess_send (s, i, doc) < 0;
        if (failed)
            break;
        double t1 = gl_bench_now ();
        while (gl_bench_now () - t1 < 0.25) {
            if (gl_bench_sess_count (s) == n) {
                gl_bench_sess_end (s, 0);
                return 0;
            }
            gl_bench_sleep_until (gl_bench_now () + 0.005);
        }
    }
    size_t got = gl_bench_sess_end (s, 0);
    fprintf (stderr, "gidlint-bench: %zu of %zu probes answered within %.0f s\n", got, n,
             timeout);
    return -1;
}
