/*  gl_worker.c: a lint thread.
 *
 *  Takes [gl_job_t][request] from the jobs socket, decodes the request
 *  (hostile bytes: gl_wire_decode_req checks everything), lints the
 *  document with the job's engine, encodes the result or the reject, and
 *  sends [gl_done_t][topic][reply] to the done socket.  It keeps no state
 *  between jobs; the engine is shared, read-only, with the other workers.
 */
#include "gl_worker.h"
#include "gl_config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static double
s_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

void
gl_worker_topic (char *out, size_t len, const char *kind, const char *source,
                 size_t source_len)
{
    size_t n = (size_t) snprintf (out, len, "%s/", kind);
    if (!source || source_len == 0) {
        snprintf (out + n, len - n, "-/");
        return;
    }
    for (size_t i = 0; i < source_len && n + 2 < len; i++) {
        unsigned char c = (unsigned char) source[i];
        out[n++] = c == '/' || c < 0x20 || c == 0x7f ? '_' : (char) c;
    }
    out[n++] = '/';
    out[n] = '\0';
}

size_t
gl_worker_code_index (const char *code)
{
    const gl_rule_t *rule = gl_rule_find (code);
    for (size_t i = 0; rule && i < gl_rules_count () && i < GL_WORKER_CODES - 1; i++)
        if (gl_rule_at (i) == rule)
            return i;
    return GL_WORKER_CODES - 1;     /* GID004, or anything unregistered */
}

const char *
gl_worker_code_name (size_t index)
{
    if (index < gl_rules_count () && index < GL_WORKER_CODES - 1)
        return gl_rule_at (index)->code;
    return "GID004";
}

void
gl_worker_internal_error (gl_wire_error_t *err, gl_err_t rc)
{
    err->code = "GID004";
    snprintf (err->why_zh, sizeof err->why_zh,
              "服务器内部错误（%s），未能检查该文档，请重试", gl_err_name (rc));
    snprintf (err->why_en, sizeof err->why_en,
              "internal error (%s): the document was not checked; retry",
              gl_strerror (rc));
}

static void
s_free_buf (void *data, void *hint)
{
    (void) hint;
    free (data);
}

int
gl_worker_msg_from_sbuffer (zmq_msg_t *msg, msgpack_sbuffer *sb)
{
    size_t size = sb->size;
    char *data = msgpack_sbuffer_release (sb);
    /* The buffer grew by doubling from 8 KiB: give back what the message
     * does not use, since published messages live on in the ring. */
    if (data && size) {
        char *fit = realloc (data, size);
        if (fit)
            data = fit;
    }
    if (!data || zmq_msg_init_data (msg, data, size, s_free_buf, NULL) != 0) {
        free (data);
        zmq_msg_init (msg);
        return -1;
    }
    return 0;
}

/*  Encodes the reply to one request into sb; fills topic and done.        */
static void
s_serve (const gl_worker_t *w, const gl_job_t *job, const void *data,
         size_t size, msgpack_sbuffer *sb, char *topic, gl_done_t *done)
{
    double t0 = s_now ();
    const gl_eng_ref_t *ref = job->engine;
    gl_wire_req_t req;
    gl_wire_error_t err;
    gl_err_t rc = gl_wire_decode_req (data, size, &ref->limits, &req, &err);
    if (rc != GL_OK && rc != GL_EPROTO)
        gl_worker_internal_error (&err, rc);
    if (rc == GL_OK && req.kind != GL_WIRE_REQ_DOCUMENT) {
        rc = GL_EPROTO;
        err.code = "GID004";
        snprintf (err.why_zh, sizeof err.why_zh,
                  "health 与 stats 请求只能发往控制端口，不能发往接收端口");
        snprintf (err.why_en, sizeof err.why_en,
                  "health and stats requests go to the control socket, not "
                  "to ingest");
    }
    gl_doc_t *doc = NULL;
    if (rc == GL_OK) {
        rc = gl_engine_lint (ref->engine, req.body, req.body_len, req.lang, &doc);
        if (rc != GL_OK)
            gl_worker_internal_error (&err, rc);
    }
    if (rc != GL_OK) {
        gl_wire_reject_t r = { .epoch = w->epoch, .daemon = w->daemon,
                               .received = job->received, .req = &req,
                               .err = &err, .lang = req.lang };
        gl_wire_encode_reject (sb, &r);
        gl_worker_topic (topic, GL_WORKER_TOPIC_MAX, "reject", req.source,
                         req.source_len);
        done->rejected = true;
        done->counts[gl_worker_code_index (err.code)]++;
    }
    else {
        gl_wire_result_t r = { .epoch = w->epoch, .daemon = w->daemon,
                               .received = job->received, .req = &req,
                               .doc = doc };
        r.processing_ms = (s_now () - t0) * 1000.0;
        gl_wire_encode_result (sb, &r);
        const char *outcome = gl_doc_count (doc, GL_SEV_ERROR)     ? "result/error"
                              : gl_doc_count (doc, GL_SEV_WARNING) ? "result/warning"
                                                                   : "result/clean";
        gl_worker_topic (topic, GL_WORKER_TOPIC_MAX, outcome, req.source,
                         req.source_len);
        size_t n;
        const gl_diag_t *d = gl_doc_diags (doc, &n);
        for (size_t i = 0; i < n; i++)
            done->counts[gl_worker_code_index (d[i].code)]++;
    }
    gl_doc_destroy (&doc);
    gl_wire_req_fini (&req);
}

void *
gl_worker_main (void *arg)
{
    gl_worker_t *w = arg;
    void *jobs = zmq_socket (w->ctx, ZMQ_PULL);
    void *done = zmq_socket (w->ctx, ZMQ_PUSH);
    int hwm = 2, linger = 0;
    /* A small queue per worker: a slow document delays few others. */
    zmq_setsockopt (jobs, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt (jobs, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt (done, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect (jobs, GL_WORKER_JOBS) != 0
        || zmq_connect (done, GL_WORKER_DONE) != 0) {
        gl_log (GL_LOG_ERROR, "worker %d: cannot connect: %s", w->index,
                zmq_strerror (zmq_errno ()));
        goto out;
    }
    for (;;) {
        zmq_msg_t hdr, req;
        zmq_msg_init (&hdr);
        zmq_msg_init (&req);
        if (zmq_msg_recv (&hdr, jobs, 0) < 0 || zmq_msg_recv (&req, jobs, 0) < 0) {
            zmq_msg_close (&hdr);
            zmq_msg_close (&req);
            break;              /* ETERM: the daemon is stopping */
        }
        gl_job_t job;
        memcpy (&job, zmq_msg_data (&hdr), sizeof job);
        zmq_msg_close (&hdr);
        gl_done_t d;
        memset (&d, 0, sizeof d);
        d.job = job.job;
        d.engine = job.engine;
        d.received = job.received;
        d.bytes = job.bytes;
        d.kind = job.kind;
        char topic[GL_WORKER_TOPIC_MAX];
        msgpack_sbuffer sb;
        msgpack_sbuffer_init (&sb);
        s_serve (w, &job, zmq_msg_data (&req), zmq_msg_size (&req), &sb, topic,
                 &d);
        zmq_msg_close (&req);
        zmq_msg_t reply;
        /* Out of memory: an empty reply still closes the job. */
        gl_worker_msg_from_sbuffer (&reply, &sb);
        if (zmq_send (done, &d, sizeof d, ZMQ_SNDMORE) < 0
            || zmq_send (done, topic, strlen (topic), ZMQ_SNDMORE) < 0
            || zmq_msg_send (&reply, done, 0) < 0) {
            zmq_msg_close (&reply);
            break;
        }
        msgpack_sbuffer_destroy (&sb);
    }
out:
    zmq_close (jobs);
    zmq_close (done);
    return NULL;
}
