/*  replay_main.c: the main() of the replay builds of the fuzz targets.
 *
 *  Linked with a fuzz target instead of libFuzzer, it feeds every regular
 *  file of a directory (argv[1]) through LLVMFuzzerTestOneInput(), so the
 *  committed seed corpora are regression tests in every CTest run.  Each
 *  input is passed in a buffer of its exact size, so that AddressSanitizer
 *  sees any read past its end.
 */
#include "gl_fuzz.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
s_replay_file (const char *path)
{
    FILE *f = fopen (path, "rb");
    if (!f)
        return -1;
    struct stat st;
    if (fstat (fileno (f), &st) != 0 || st.st_size < 0) {
        fclose (f);
        return -1;
    }
    size_t len = (size_t) st.st_size;
    uint8_t *data = malloc (len ? len : 1);
    int rc = data && fread (data, 1, len, f) == len ? 0 : -1;
    fclose (f);
    if (rc == 0)
        LLVMFuzzerTestOneInput (data, len);
    free (data);
    return rc;
}

int
main (int argc, char **argv)
{
    if (argc != 2) {
        fprintf (stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    DIR *d = opendir (dir);
    if (!d) {
        perror (dir);
        return 2;
    }
    int n = 0, failed = 0;
    for (struct dirent *e; (e = readdir (d)) != NULL;) {
        char path[4096];
        struct stat st;
        int len = snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t) len >= sizeof path || stat (path, &st) != 0
            || !S_ISREG (st.st_mode))
            continue;
        printf ("  %s\n", path);    /* names the input that aborts */
        fflush (stdout);
        if (s_replay_file (path) != 0) {
            fprintf (stderr, "%s: cannot read\n", path);
            failed++;
        }
        n++;
    }
    closedir (d);
    printf ("replayed %d inputs from %s\n", n - failed, dir);
    return failed || n == 0 ? 1 : 0;
}
