/*  gl_worker.h: the lint threads of gidlintd, and what they exchange with
 *  the main thread over inproc sockets.
 *
 *  main --PUSH GL_WORKER_JOBS--> worker:  [gl_job_t][request bytes]
 *  worker --PUSH GL_WORKER_DONE--> main:  [gl_done_t][topic][encoded reply]
 *
 *  Both ends are in one process, so headers travel as raw structs.  The
 *  request bytes are the very message received from the network (moved,
 *  not copied); the reply is encoded once and numbered in place by the main
 *  thread (gl_wire_patch_seq) when it is published.
 */
#ifndef GL_WORKER_H_INCLUDED
#define GL_WORKER_H_INCLUDED

#include "gl_wire.h"

#include <zmq.h>

#define GL_WORKER_JOBS "inproc://gidlintd-jobs"
#define GL_WORKER_DONE "inproc://gidlintd-done"
#define GL_WORKER_TOPIC_MAX 320

/*  Counting diagnostics per code: one slot per registered rule, then
 *  GID004 (which only the wire layer emits).                               */
#define GL_WORKER_CODES 64

typedef enum { GL_JOB_INGEST = 1, GL_JOB_CONTROL = 2 } gl_job_kind_t;

/*  An engine and the limits that go with one configuration.  The main
 *  thread counts its users (refs); a worker only reads it.                 */
typedef struct {
    gl_engine_t *engine;
    gl_wire_limits_t limits;
    gl_lang_t lang_default;
    int refs;
} gl_eng_ref_t;

typedef struct {
    uint64_t job;
    gl_eng_ref_t *engine;
    double received;            /* Unix time                                 */
    uint64_t bytes;             /* of the request: counted while in flight   */
    uint32_t kind;              /* gl_job_kind_t                             */
} gl_job_t;

typedef struct {
    uint64_t job;
    gl_eng_ref_t *engine;
    double received;
    uint64_t bytes;
    uint32_t kind;
    bool rejected;
    uint32_t counts[GL_WORKER_CODES];
} gl_done_t;

typedef struct {
    void *ctx;                  /* the daemon's ZeroMQ context               */
    int index;
    uint64_t epoch;
    const char *daemon;
} gl_worker_t;

/*  Thread body: serves jobs until the context is shut down.                */
void *gl_worker_main (void *arg);

/*  "result/error/<source>/", "reject/<source>/": the source made safe for
 *  a prefix filter ('/' and control characters become '_', absent: '-'). */
void gl_worker_topic (char *out, size_t len, const char *kind,
                      const char *source, size_t source_len);

/*  Fills err for a request that failed for the daemon's own reasons (out
 *  of memory): a GID004 reject asking to retry.                            */
void gl_worker_internal_error (gl_wire_error_t *err, gl_err_t rc);

/*  Hands sb's buffer, cut to its size, to a message without copying; sb is
 *  left empty.  Returns 0, or -1 (msg then empty) when out of memory.     */
int gl_worker_msg_from_sbuffer (zmq_msg_t *msg, msgpack_sbuffer *sb);

/*  Slot of a code in the counters, and back.                               */
size_t gl_worker_code_index (const char *code);
const char *gl_worker_code_name (size_t index);

#endif
