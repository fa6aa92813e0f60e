/* failed.h: the tests that failed when they last ran (_galley/failed), for
 * `galley run --failed`, as pytest's --last-failed keeps them: a run
 * removes the tests it ran that passed and adds those that failed; tests
 * it did not run keep their standing. */
#ifndef GALLEY_FAILED_H
#define GALLEY_FAILED_H

#include "../source/util.h"

/* Fills keys with the failed tests recorded under root, each "PATH\tNAME"
 * (PATH: the real path of the file the TEST is written in). Empty when
 * none failed, or no run recorded any. */
void galley__failed_load(const char *root, galley__words *keys);

/* Records under root the tests that failed: those of the record that ran
 * holds not, and failed. ran and failed hold keys as above. Returns 0, or
 * -errno (the record is then as it was). */
int galley__failed_save(const char *root, const galley__words *ran,
                        const galley__words *failed);

#endif
