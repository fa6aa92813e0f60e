/* init.h: `galley init [DIR]`: scaffolds a project: a commented
 * galley.conf, a first passing test and the _galley/ line of .gitignore. */
#ifndef GALLEY_INIT_H
#define GALLEY_INIT_H

/* Runs `galley init` with its arguments (after "init"). Creates what is
 * missing in DIR (default: the current directory, created when absent)
 * and never overwrites a file: each is reported as "created FILE" or
 * "kept FILE (why)". Returns the exit status: 0 done, 1 a file or
 * directory could not be written (reported with strerror), 2 bad usage. */
int galley__init_cmd(int argc, char **argv);

#endif
