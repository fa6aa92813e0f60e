/* cli.h: `galley plot`, the command-line front end of plot/: it reads rows
 * of numbers (whitespace- or comma-separated, CSV headers, '#' comments)
 * from files or standard input and draws them with galley/plot.h. The
 * options and the input format are in galley(1). */
#ifndef GALLEY_PLOT_CLI_H
#define GALLEY_PLOT_CLI_H

/* Runs `galley plot` with the arguments after "plot" (argc of them);
 * returns the exit status: 0 drawn, 1 bad input data, 2 bad usage. The
 * chart goes to standard output, messages to standard error. */
int galley__plot_main(int argc, char **argv);

#endif
