/*  gl_bench_daemon.h: `gidlint-bench daemon`, the end-to-end measurement
 *  of gidlintd (see gl_bench_daemon.c).
 */
#ifndef GL_BENCH_DAEMON_H_INCLUDED
#define GL_BENCH_DAEMON_H_INCLUDED

#include <stddef.h>

typedef struct {
    const char *daemon;         /* gidlintd to run; NULL: the one next to us */
    const char *argv0;          /* this program, to find the one next to it  */
    unsigned transports;        /* 1: tcp, 2: ipc, 3: both                   */
    int runs;                   /* runs per transport (medians over them)    */
    int workers;                /* lint threads of each daemon; 0: the cores,
                                   or 1 behind a broker                      */
    int daemons;                /* behind a gidlint-broker: how many daemons;
                                   0: one daemon on its own endpoints        */
    const char *broker;         /* gidlint-broker to run; NULL: the one next
                                   to the daemon                             */
    size_t docs;                /* documents per measurement                 */
    const char *csv;            /* latency-versus-load points, or NULL       */
} gl_bench_daemon_opts_t;

/*  Runs the measurement and prints it.  Returns 0, or 1 when something
 *  could not be measured (the daemon would not start, results went
 *  missing entirely).                                                     */
int gl_bench_daemon_run (const gl_bench_daemon_opts_t *opts);

#endif
