/*  gidlint-gen: writes synthetic annual reports (see gl_gen.h).
 *
 *      gidlint-gen [--count N] [--seed S] [--layout any|cells|tabs|pipes|spaces]
 *                  [--defects any|none|LIST] [--out DIR]
 *
 *  Document i has seed S + i.  With --out, writes N files named
 *  gen_<seed>_<layout>.txt into DIR and a manifest DIR/expected.tsv (file,
 *  the codes the engine must report, the codes it may report besides);
 *  without, writes one document to standard output.  --defects any gives
 *  each document one defect drawn from its seed; LIST is a comma-separated
 *  list of codes (GID301) or names (row-total) all applied to every
 *  document.
 */
#include "gl_gen.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void
usage (FILE *f)
{
    fprintf (f,
             "usage: gidlint-gen [--count N] [--seed S] "
             "[--layout any|cells|tabs|pipes|spaces]\n"
             "                   [--defects any|none|LIST] [--out DIR]\n"
             "  LIST: comma-separated codes or names: GID301 row-total, GID303 "
             "balance,\n"
             "        GID401 prose, GID102 missing-section, GID204 label, GID207 "
             "merged,\n"
             "        GID501 image, GID201 edition\n");
}

static bool
parse_u64 (const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull (s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return false;
    *out = v;
    return true;
}

/*  Splitmix step, to draw a defect for "--defects any" from the seed.   */
static uint64_t
mix (uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int
main (int argc, char **argv)
{
    uint64_t count = 1, seed = 1;
    int layout = GL_GEN_LAYOUT_ANY;
    bool any_defect = false;
    unsigned defects = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp (a, "-h") || !strcmp (a, "--help")) {
            usage (stdout);
            return 0;
        }
        if (!v) {
            usage (stderr);
            return 2;
        }
        i++;
        if (!strcmp (a, "--count")) {
            if (!parse_u64 (v, &count) || count == 0) {
                fprintf (stderr, "gidlint-gen: bad --count %s\n", v);
                return 2;
            }
        }
        else if (!strcmp (a, "--seed")) {
            if (!parse_u64 (v, &seed)) {
                fprintf (stderr, "gidlint-gen: bad --seed %s\n", v);
                return 2;
            }
        }
        else if (!strcmp (a, "--layout")) {
            layout = gl_gen_layout_parse (v);
            if (layout < 0) {
                fprintf (stderr, "gidlint-gen: unknown layout %s\n", v);
                return 2;
            }
        }
        else if (!strcmp (a, "--defects")) {
            any_defect = !strcmp (v, "any");
            defects = 0;
            if (!any_defect && strcmp (v, "none")) {
                char list[256];
                snprintf (list, sizeof list, "%s", v);
                char *save = NULL;
                for (char *p = strtok_r (list, ",", &save); p;
                     p = strtok_r (NULL, ",", &save)) {
                    unsigned bit = gl_gen_defect_parse (p);
                    if (!bit) {
                        fprintf (stderr, "gidlint-gen: unknown defect %s\n", p);
                        return 2;
                    }
                    defects |= bit;
                }
            }
        }
        else if (!strcmp (a, "--out"))
            out = v;
        else {
            usage (stderr);
            return 2;
        }
    }

    FILE *manifest = NULL;
    if (out) {
        if (mkdir (out, 0777) != 0 && errno != EEXIST) {
            fprintf (stderr, "gidlint-gen: cannot create %s: %s\n", out,
                     strerror (errno));
            return 1;
        }
        char path[4096];
        snprintf (path, sizeof path, "%s/expected.tsv", out);
        manifest = fopen (path, "w");
        if (!manifest) {
            fprintf (stderr, "gidlint-gen: cannot write %s: %s\n", path,
                     strerror (errno));
            return 1;
        }
        fprintf (manifest, "file\tcodes\talso\n");
    }
    else
        count = 1;

    for (uint64_t i = 0; i < count; i++) {
        uint64_t s = seed + i;
        gl_gen_opts_t opts = { (gl_gen_layout_t) layout, defects, 0 };
        if (any_defect)
            opts.defects = 1u << (mix (s) % GL_GEN_D_COUNT);
        size_t len;
        gl_gen_expect_t ex;
        char *doc = gl_gen_report (s, &opts, &len, &ex);
        if (!doc) {
            fprintf (stderr, "gidlint-gen: out of memory\n");
            return 1;
        }
        if (!out) {
            fwrite (doc, 1, len, stdout);
            free (doc);
            break;
        }
        char name[128], path[4096];
        snprintf (name, sizeof name, "gen_%llu_%s.txt", (unsigned long long) s,
                  gl_gen_layout_name (ex.layout));
        snprintf (path, sizeof path, "%s/%s", out, name);
        FILE *f = fopen (path, "wb");
        if (!f || fwrite (doc, 1, len, f) != len || fclose (f) != 0) {
            fprintf (stderr, "gidlint-gen: cannot write %s\n", path);
            free (doc);
            return 1;
        }
        free (doc);
        fprintf (manifest, "%s\t", name);
        for (size_t k = 0; k < ex.n_codes; k++)
            fprintf (manifest, "%s%s", k ? "," : "", ex.codes[k]);
        fprintf (manifest, "\t");
        for (size_t k = 0; k < ex.n_also; k++)
            fprintf (manifest, "%s%s", k ? "," : "", ex.also[k]);
        fprintf (manifest, "\n");
    }
    if (manifest && fclose (manifest) != 0) {
        fprintf (stderr, "gidlint-gen: cannot write the manifest\n");
        return 1;
    }
    return 0;
}
