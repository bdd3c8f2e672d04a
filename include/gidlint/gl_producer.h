/*  gl_producer.h: handing documents to gidlintd at least once.
 *
 *  The reliable path of docs/protocol.md, for intake systems to embed.  A
 *  producer holds each document it was given until the daemon's answer
 *  (its result or reject) has come back over the control socket, and sends
 *  it again when no answer came in time, with a growing timeout, across
 *  reconnections and daemon restarts: the ZeroMQ guide's reliable
 *  request-reply ("Lazy Pirate") with a window of requests in flight on one
 *  DEALER socket instead of one at a time on a REQ socket.  The daemon
 *  recognises a document sent again (source, id and bytes) and answers it
 *  from its ring of recent results without linting it twice, while it
 *  still holds it; after a daemon restart the document is linted again.
 *
 *  So every document submitted gets exactly one call of on_reply: its
 *  answer, or GL_PRODUCER_GAVE_UP after give_up seconds (if set).  Answers
 *  that arrive twice (the first send was answered after all) are counted
 *  and dropped.
 *
 *  One thread uses a producer.  It has no thread of its own: it does its
 *  work inside gl_producer_submit() and gl_producer_wait().
 *
 *      gl_producer_opts_t o = { .endpoint = "tcp://10.0.0.5:7403",
 *                               .on_reply = got, .reply_arg = &state };
 *      gl_producer_t *p = gl_producer_new (&o);
 *      for (each document)
 *          gl_producer_submit (p, &(gl_producer_doc_t) { .id = …, … });
 *      gl_producer_wait (p, -1);           // until every one is answered
 *      gl_producer_destroy (&p);
 */
#ifndef GIDLINT_GL_PRODUCER_H_INCLUDED
#define GIDLINT_GL_PRODUCER_H_INCLUDED

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gl_producer gl_producer_t;

typedef struct {
    const char *id;             /* required; unique among those in flight    */
    const void *body;           /* the document's bytes, any encoding        */
    size_t body_len;
    const char *name;           /* optional file name                        */
    const char *source;         /* optional producer name (no '/')           */
    const char *lang;           /* optional "zh" (default) or "en"           */
} gl_producer_doc_t;

typedef enum {
    GL_PRODUCER_RESULT = 1,     /* linted: message is a "result"             */
    GL_PRODUCER_REJECT,         /* refused as input: message is a "reject"   */
    GL_PRODUCER_GAVE_UP         /* no answer within give_up: message NULL    */
} gl_producer_outcome_t;

/*  The answer to the document submitted under id: the MessagePack message
 *  exactly as the daemon published it (docs/protocol.md), valid during the
 *  call only.                                                              */
typedef void (gl_producer_reply_fn) (void *arg, const char *id,
                                     gl_producer_outcome_t outcome,
                                     const void *message, size_t size);

typedef struct {
    const char *endpoint;       /* gidlintd's control socket (required)      */
    void *zmq_ctx;              /* NULL: the producer makes its own          */
    unsigned window;            /* documents awaiting an answer (def. 32)    */
    double timeout;             /* seconds before the first resend (def. 5)  */
    double max_timeout;         /* the timeout doubles up to this (def. 60)  */
    double give_up;             /* seconds after its submission a document
                                   is given up (GL_PRODUCER_GAVE_UP); 0:
                                   never                                    */
    /* Called on the socket before it connects, e.g. to set CURVE keys;
     * returns 0, or -1 to fail gl_producer_new().                        */
    int (*configure) (void *zmq_socket, void *arg);
    void *configure_arg;
    gl_producer_reply_fn *on_reply;     /* required                          */
    void *reply_arg;
    /* Checked while waiting: when it becomes non-zero (a signal handler
     * sets it), submit and wait return -1 with errno EINTR.               */
    volatile sig_atomic_t *interrupted;
} gl_producer_opts_t;

typedef struct {
    uint64_t submitted;         /* documents handed over                     */
    uint64_t sends;             /* messages sent, first sends and resends    */
    uint64_t resends;           /* of which resends after a timeout          */
    uint64_t answered;          /* documents answered (on_reply called)      */
    uint64_t duplicates;        /* answers that came after one already had   */
    uint64_t refused;           /* "refused" answers (rate limit): resent    */
    uint64_t gave_up;
    uint64_t restarts;          /* new daemon epochs seen                    */
} gl_producer_stats_t;

/*  A producer connected to opts->endpoint, or NULL with errno set (EINVAL,
 *  ENOMEM, or the ZeroMQ error).                                           */
gl_producer_t *gl_producer_new (const gl_producer_opts_t *opts);

/*  Closes the socket; documents still pending are dropped without a call
 *  of on_reply (wait for them first).                                      */
void gl_producer_destroy (gl_producer_t **p);

/*  Takes a copy of doc and sends it as soon as the window allows; while
 *  the window is full it serves answers and resends (calling on_reply).
 *  Returns 0, or -1 with errno: EEXIST (a document with this id is still
 *  pending), EINVAL, ENOMEM, EINTR.                                        */
int gl_producer_submit (gl_producer_t *p, const gl_producer_doc_t *doc);

/*  Serves answers and resends for at most timeout seconds (negative: until
 *  no document is pending).  Returns the number still pending, or -1 with
 *  errno EINTR.                                                            */
long gl_producer_wait (gl_producer_t *p, double timeout);

size_t gl_producer_pending (const gl_producer_t *p);
void gl_producer_stats (const gl_producer_t *p, gl_producer_stats_t *st);

#ifdef __cplusplus
}
#endif

#endif
