/* plot_cli_test.c: end-to-end tests of `galley plot`: how it reads rows of
 * numbers (files, standard input, CSV, headers, comments), how it reports
 * bad cells, ragged rows and bad usage, and the chart of every kind and
 * option. The parsing tests compare runs with each other, so that they hold
 * whatever the drawing looks like; the drawing tests show the charts. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e.h"

/* Makes the project and exports the galley under test as an absolute
 * $GALLEY_BIN, for the shell commands that run it more than once. */
static void S_project(void)
{
    char bin[PATH_MAX];
    const char *env = getenv("GALLEY_BIN");
    if (env && realpath(env, bin))
        setenv("GALLEY_BIN", bin, 1);
    e2e_project();
}

/* Runs `galley plot ARGS` (ARGS may redirect standard input), printing
 * its merged output and "[exit N]". */
static int S_plot(const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "plot %s", args);
    return e2e_galley(cmd);
}

/* Runs `galley plot A` and `galley plot B` and says whether they printed
 * the same (both outputs merged with their errors, and the same status),
 * or shows the difference. Only a chart drawn comes with exit 0. */
static void S_same(const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "\"$GALLEY_BIN\" plot %s >.a 2>&1; ra=$?; "
             "\"$GALLEY_BIN\" plot %s >.b 2>&1; rb=$?; "
             "if cmp -s .a .b && [ $ra = $rb ]; then "
             "echo \"same, exit $ra\"; "
             "else diff .a .b; echo \"exit $ra, exit $rb\"; fi",
             a, b);
    e2e_sh(cmd);
}

/* A small curve, as whitespace-separated columns. */
static const char S_curve[] = "1 2\n"
                              "2 4\n"
                              "3 9\n"
                              "4 16\n";

/* ---- usage ---- */

TEST(help)
{
    S_project();
    S_plot("--help");
    EXPECT(/*
      usage: galley plot [options] [FILE...]
      Draws the columns of numbers in the FILEs (standard input when there
      are none, or for -) as a text chart on standard output.

        --kind=KIND      line (the default), scatter, hist, bars, heatmap,
                         or loss
        --x=N|index      the x column, from 1 (default: 1, or the row index
                         when there is one column)
        --columns=N,...  the y columns (default: all but x)
        --header         the first row holds column names
        --no-header      it does not (default: it does when one of its cells
                         is not a number)
        --width=N        columns of the plot area (default 60)
        --height=N       rows of the plot area (default 15)
        --canvas=C       ascii (the default), block or braille
        --title=T, --xlabel=T, --ylabel=T
        --xlim=A,B       the x range shown; --ylim=A,B the y range
        --xlog, --ylog   log10 scale
        --bins=N         hist: the number of bins (default: Sturges' rule)
        --smooth=W       loss: smoothing weight in [0, 1), as TensorBoard's
        --color=WHEN     auto (the default), always or never
        --skip-bad       skip the rows with a bad cell or a wrong number of
                         cells, and say how many
        -h, --help       print this and exit

      Cells are separated by whitespace or commas; blank lines and lines
      that begin with # are skipped.
      Exit status: 0 drawn, 1 bad input data, 2 bad usage. See galley(1).
      [exit 0]
    */);
    e2e_done();
}

TEST(bad_usage_is_exit_2)
{
    static const char *const bad[] = {
        "--width=0",         "--width=abc",        "--height=1001",
        "--kind=pie",         "--canvas=svg",
        "--color=sometimes", "--xlim=2,1",         "--xlim=1",
        "--ylim=a,b",        "--bins=0",           "--smooth=1",
        "--smooth=-0.1",     "--x=0",              "--x=first",
        "--columns=2,,3",    "--columns=",         "--foo",
        "--foo=bar",         "-w 30",              "--xlog=yes",
        "--bins=5",          "--kind=loss --bins=5",
        "--smooth=0.5",      "--kind=heatmap --columns=2",
        "--kind=heatmap --x=1", "--kind=bars --columns=2,3",
    };
    S_project();
    e2e_write("data.txt", S_curve);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char args[256];
        printf("$ galley plot %s data.txt\n", bad[i]);
        snprintf(args, sizeof args, "%s data.txt", bad[i]);
        S_plot(args);
    }
    printf("$ galley plot data.txt --width\n");
    S_plot("data.txt --width");
    EXPECT(/*
      $ galley plot --width=0 data.txt
      galley: plot: --width=0: expected a whole number from 1 to 1000
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --width=abc data.txt
      galley: plot: --width=abc: expected a whole number from 1 to 1000
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --height=1001 data.txt
      galley: plot: --height=1001: expected a whole number from 1 to 1000
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --kind=pie data.txt
      galley: plot: --kind=pie: expected line, scatter, hist, bars, heatmap or loss
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --canvas=svg data.txt
      galley: plot: --canvas=svg: expected ascii, block or braille
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --color=sometimes data.txt
      galley: plot: --color=sometimes: expected auto, always or never
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --xlim=2,1 data.txt
      galley: plot: --xlim=2,1: expected two numbers A,B with A < B
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --xlim=1 data.txt
      galley: plot: --xlim=1: expected two numbers A,B with A < B
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --ylim=a,b data.txt
      galley: plot: --ylim=a,b: expected two numbers A,B with A < B
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --bins=0 data.txt
      galley: plot: --bins=0: expected a whole number from 1 to 1000
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --smooth=1 data.txt
      galley: plot: --smooth=1: expected a number from 0 up to (not including) 1
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --smooth=-0.1 data.txt
      galley: plot: --smooth=-0.1: expected a number from 0 up to (not including) 1
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --x=0 data.txt
      galley: plot: --x=0: expected a column from 1, or index
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --x=first data.txt
      galley: plot: --x=first: expected a column from 1, or index
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --columns=2,,3 data.txt
      galley: plot: --columns=2,,3: expected columns from 1, such as 2 or 2,3
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --columns= data.txt
      galley: plot: --columns=: expected columns from 1, such as 2 or 2,3
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --foo data.txt
      galley: plot: unknown option: --foo
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --foo=bar data.txt
      galley: plot: unknown option: --foo
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot -w 30 data.txt
      galley: plot: unknown option: -w
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --xlog=yes data.txt
      galley: plot: --xlog takes no value
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --bins=5 data.txt
      galley: plot: --bins is for --kind=hist, not line
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --kind=loss --bins=5 data.txt
      galley: plot: --bins is for --kind=hist, not loss
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --smooth=0.5 data.txt
      galley: plot: --smooth is for --kind=loss, not line
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --kind=heatmap --columns=2 data.txt
      galley: plot: --x and --columns are not for --kind=heatmap: it draws every column
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --kind=heatmap --x=1 data.txt
      galley: plot: --x and --columns are not for --kind=heatmap: it draws every column
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot --kind=bars --columns=2,3 data.txt
      galley: plot: --kind=bars draws one column of values; pick it with --columns=N
      Try 'galley plot --help'.
      [exit 2]
      $ galley plot data.txt --width
      galley: plot: --width needs a value
      Try 'galley plot --help'.
      [exit 2]
    */);
    e2e_done();
}

TEST(unreadable_files_are_exit_2)
{
    S_project();
    e2e_write("data.txt", S_curve);
    e2e_sh("mkdir dir");
    /* Nothing is drawn when one of the files cannot be read. */
    S_plot("data.txt missing.txt");
    S_plot("dir");
    EXPECT(/*
      galley: plot: missing.txt: No such file or directory
      Try 'galley plot --help'.
      [exit 2]
      galley: plot: dir: Is a directory
      Try 'galley plot --help'.
      [exit 2]
    */);
    e2e_done();
}

TEST(options_take_a_value_either_way_and_may_follow_files)
{
    S_project();
    e2e_write("data.txt", S_curve);
    S_same("--width=30 --title=T data.txt", "--width 30 --title T data.txt");
    S_same("--width=30 data.txt --height=5", "--height=5 --width=30 data.txt");
    /* After --, an argument that looks like an option is a file. */
    e2e_write("--width=5", S_curve);
    S_same("-- --width=5", "data.txt");
    EXPECT(/*
      same, exit 0
      same, exit 0
      same, exit 0
    */);
    e2e_done();
}

/* ---- reading ---- */

TEST(stdin_files_and_dash_read_the_same)
{
    S_project();
    e2e_write("data.txt", S_curve);
    S_same("data.txt", "< data.txt");
    S_same("data.txt", "- < data.txt");
    EXPECT(/*
      same, exit 0
      same, exit 0
    */);
    e2e_done();
}

TEST(cells_are_separated_by_blanks_or_commas)
{
    S_project();
    e2e_write("spaces.txt", S_curve);
    e2e_write("tabs.txt", "1\t2\n  2\t\t4\n3 \t 9\t\n4 16\n");
    e2e_write("commas.csv", "1,2\n2,4\n3,9\n4,16\n");
    e2e_write("spaced.csv", "1, 2\n2 ,4\n 3 , 9 \n4,16\n");
    e2e_write("crlf.csv", "1,2\r\n2,4\r\n3,9\r\n4,16\r\n");
    e2e_write("bom.csv", "\xef\xbb\xbf" "1,2\n2,4\n3,9\n4,16\n");
    e2e_write("quoted.csv", "\"1\",\"2\"\n2,\"4\"\n3,9\n4,16\n");
    S_same("spaces.txt", "tabs.txt");
    S_same("spaces.txt", "commas.csv");
    S_same("spaces.txt", "spaced.csv");
    S_same("spaces.txt", "crlf.csv");
    S_same("spaces.txt", "bom.csv");
    S_same("spaces.txt", "quoted.csv");
    EXPECT(/*
      same, exit 0
      same, exit 0
      same, exit 0
      same, exit 0
      same, exit 0
      same, exit 0
    */);
    e2e_done();
}

TEST(comments_and_blank_lines_are_skipped)
{
    S_project();
    e2e_write("plain.txt", S_curve);
    e2e_write("commented.txt", "# squares\n"
                               "\n"
                               "1 2\n"
                               "   # indented comment\n"
                               "2 4\n"
                               "   \n"
                               "\t\n"
                               "3 9\n"
                               "4 16\n"
                               "#\n");
    S_same("plain.txt", "commented.txt");
    EXPECT(/* same, exit 0 */);
    e2e_done();
}

TEST(numbers_are_read_without_locale)
{
    S_project();
    e2e_write("plain.txt", "0 0.001\n1 -0.5\n2 2\n3 0.5\n4 50\n");
    e2e_write("spelled.txt", "0 1e-3\n1 -.5\n+2 2.\n3 5E-1\n4.0 0.5e2\n");
    S_same("plain.txt", "spelled.txt");
    /* A decimal comma is not a decimal point, whatever the locale: it
     * separates cells. */
    e2e_write("comma.txt", "1 0,5\n2 1,5\n");
    e2e_write("two_columns.txt", "1 0 5\n2 1 5\n");
    S_same("comma.txt", "two_columns.txt");
    EXPECT(/*
      same, exit 0
      same, exit 0
    */);
    e2e_done();
}

TEST(a_header_row_names_the_columns)
{
    S_project();
    e2e_write("named.csv", "step,train,val\n1,2,3\n2,1,2\n3,0.5,1.5\n");
    e2e_write("bare.csv", "1,2,3\n2,1,2\n3,0.5,1.5\n");
    /* Guessed from its cells that are not numbers, or given. */
    S_same("named.csv", "--header named.csv");
    /* A header changes only the names: the legend and the x label. */
    e2e_sh("\"$GALLEY_BIN\" plot named.csv > named.out; "
           "\"$GALLEY_BIN\" plot bare.csv > bare.out; "
           "diff bare.out named.out | grep '^[<>]'");
    /* --header takes a first row of numbers as names; --no-header makes a
     * header row an error. */
    e2e_write("numbers.csv", "10,20,30\n1,2,3\n2,1,2\n3,0.5,1.5\n");
    e2e_sh("\"$GALLEY_BIN\" plot --header numbers.csv | tail -n 1");
    S_plot("--no-header named.csv");
    EXPECT(/*
      same, exit 0
      <     * column 2   + column 3
      >                                  step
      >     * train   + val
          * 20   + 30
      galley: plot: named.csv:1: column 1: "step" is not a number (use --skip-bad to ignore such rows)
      [exit 1]
    */);
    e2e_done();
}

TEST(bad_cells_are_errors_with_their_line_and_column)
{
    S_project();
    e2e_write("data.csv", "# x, y, z\n"
                          "1,2,3\n"
                          "\n"
                          "2,4,6\n"
                          "# a comment\n"
                          "3,6,9\n"
                          "4,abc,12\n"
                          "5,10,15\n");
    S_plot("data.csv");
    /* Standard input is named <stdin>; the line counts every line. */
    S_plot("< data.csv");
    /* The cell is shown as it is, quoted, escaped and cut when long. */
    e2e_write("odd.csv", "1,2\n2,\"say \"\"hi\"\"\"\n");
    S_plot("odd.csv");
    e2e_write("control.txt", "1 2\n2 a\x01z\n");
    S_plot("control.txt");
    e2e_write("long.txt",
              "1 2\n2 0123456789012345678901234567890123456789xyz\n");
    S_plot("long.txt");
    e2e_write("empty.csv", "1,2,3\n2,,6\n");
    S_plot("empty.csv");
    /* A first row with a word in it is a header, unless --no-header. */
    e2e_write("first.csv", "1,x\n2,3\n");
    S_plot("--no-header first.csv");
    EXPECT(/*
      galley: plot: data.csv:7: column 2: "abc" is not a number (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: <stdin>:7: column 2: "abc" is not a number (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: odd.csv:2: column 2: "say \"hi\"" is not a number (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: control.txt:2: column 2: "a\x01z" is not a number (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: long.txt:2: column 2: "0123456789012345678901234567890123456789"... is not a number (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: empty.csv:2: column 2: empty cell (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: first.csv:1: column 2: "x" is not a number (use --skip-bad to ignore such rows)
      [exit 1]
    */);
    e2e_done();
}

TEST(ragged_rows_are_errors)
{
    S_project();
    e2e_write("data.txt", "1 2 3\n2 4 6\n\n3 6\n");
    S_plot("data.txt");
    e2e_write("more.csv", "1,2\n2,4,\n");
    S_plot("more.csv");
    e2e_write("one.txt", "1 2\n2\n");
    S_plot("one.txt");
    /* The header's width counts as the first row's. */
    e2e_write("header.csv", "x,y,z\n1,2\n");
    S_plot("header.csv");
    EXPECT(/*
      galley: plot: data.txt:4: 2 columns, but the rows before have 3 (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: more.csv:2: 3 columns, but the rows before have 2 (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: one.txt:2: 1 column, but the rows before have 2 (use --skip-bad to ignore such rows)
      [exit 1]
      galley: plot: header.csv:2: 2 columns, but the rows before have 3 (use --skip-bad to ignore such rows)
      [exit 1]
    */);
    e2e_done();
}

TEST(skip_bad_skips_and_counts_the_bad_rows)
{
    S_project();
    e2e_write("bad.txt", "1 2\n"
                         "2 4\n"
                         "2.5 x\n"
                         "3 9\n"
                         "3.5\n"
                         "4 16\n");
    e2e_write("good.txt", S_curve);
    /* The chart is that of the good rows; the note follows it. */
    e2e_sh("\"$GALLEY_BIN\" plot --skip-bad bad.txt 2>&1 >/dev/null");
    e2e_sh("\"$GALLEY_BIN\" plot --skip-bad bad.txt 2>/dev/null >bad.out; "
           "\"$GALLEY_BIN\" plot good.txt >good.out; "
           "cmp bad.out good.out && echo the chart of the good rows");
    e2e_sh("\"$GALLEY_BIN\" plot --skip-bad < bad.txt 2>&1 | tail -n 1");
    /* Past five, the list is cut. */
    e2e_write("many.txt", "1 1\nx\nx\n2 2\nx\nx\nx\nx\nx 1\n3 3\n");
    e2e_sh("\"$GALLEY_BIN\" plot --skip-bad many.txt 2>&1 >/dev/null");
    /* With no bad row there is no note. */
    e2e_sh("\"$GALLEY_BIN\" plot --skip-bad good.txt 2>&1 >/dev/null");
    EXPECT(/*
      galley: plot: skipped 2 bad rows (bad.txt:3, bad.txt:5)
      the chart of the good rows
      galley: plot: skipped 2 bad rows (<stdin>:3, <stdin>:5)
      galley: plot: skipped 7 bad rows (many.txt:2, many.txt:3, many.txt:5, many.txt:6, many.txt:7, ...)
    */);
    e2e_done();
}

/* ---- columns ---- */

TEST(columns_and_x_pick_the_series)
{
    S_project();
    e2e_write("three.txt", "1 2 30\n2 4 20\n3 9 10\n4 16 0\n");
    e2e_write("one_three.txt", "1 30\n2 20\n3 10\n4 0\n");
    e2e_write("x_second.txt", "30 1 2\n20 2 4\n10 3 9\n0 4 16\n");
    e2e_write("x_first.txt", S_curve);
    e2e_write("only_y.txt", "2\n4\n9\n16\n");
    S_same("--columns=3 three.txt", "one_three.txt");
    S_same("--x=2 --columns=3 x_second.txt", "x_first.txt");
    /* The index as x, by default with one column or by --x=index. */
    S_same("--x=index --columns=2 three.txt", "only_y.txt");
    /* A column that is not there, and no column left for y. */
    S_plot("--columns=2,5 three.txt");
    S_plot("--x=4 three.txt");
    S_plot("--x=1 only_y.txt");
    EXPECT(/*
      same, exit 0
      same, exit 0
      same, exit 0
      galley: plot: three.txt:1: there is no column 5: the rows have 3 columns
      [exit 1]
      galley: plot: three.txt:1: there is no column 4: the rows have 3 columns
      [exit 1]
      galley: plot: only_y.txt:1: no column is left for y: the rows have only x
      [exit 1]
    */);
    e2e_done();
}

/* ---- the kinds ---- */

TEST(line)
{
    S_project();
    e2e_write("train.csv", "step,train,val\n"
                           "1,2.0,2.2\n"
                           "2,1.2,1.5\n"
                           "3,0.8,1.1\n"
                           "4,0.6,1.0\n"
                           "5,0.5,0.95\n");
    S_plot("--width=30 --height=8 train.csv");
    EXPECT(/*
        +------------------------------+
      3 +                              |
        |                              |
      2 +++                            |
        |  ++++                        |
        |      +++++++++++++           |
      1 +           ********+++++++++++|
        |                   ***********|
      0 +                              |
        ++------+-------+------+------++
         1      2       3      4      5
                      step
        * train   + val
      [exit 0]
    */);
    /* Without a header, the series are named by their columns. */
    e2e_write("bare.txt", "1 2 3\n2 3 1\n3 1 2\n");
    S_plot("--width=20 --height=5 bare.txt");
    EXPECT(/*
          +--------------------+
        3 +++      ****        |
      2.5 +  ++****    **      |
        2 +*** +++       ** +++|
      1.5 +       ++    ++++*  |
        1 +         ++++     **|
          ++---------+--------++
           1         2        3
          * column 2   + column 3
      [exit 0]
    */);
    e2e_done();
}

TEST(scatter)
{
    S_project();
    e2e_write("points.txt", "0 0\n1 1\n2 4\n3 9\n4 16\n5 25\n6 36\n");
    S_plot("--kind=scatter --width=28 --height=8 points.txt");
    EXPECT(/*
         +----------------------------+
      40 +                            |
         |                           *|
         |                            |
         |                       *    |
      20 +                  *         |
         |              *             |
         |         *                  |
       0 +*    *                      |
         ++--------+--------+--------++
          0        2        4        6
      [exit 0]
    */);
    e2e_done();
}

TEST(loss)
{
    S_project();
    e2e_write("loss.txt", "2.3\n1.6\n1.7\n1.1\n0.9\n1.0\n0.6\n0.5\n0.55\n"
                          "0.3\n0.25\n0.3\n0.2\n0.15\n0.12\n0.1\n");
    S_plot("--kind=loss --width=32 --height=8 loss.txt");
    EXPECT(/*
        +--------------------------------+
      3 +                                |
        |                                |
      2 +  *                             |
        |   ***                          |
        |      *                         |
      1 +       ***                      |
        |          **********            |
      0 +                    ******      |
        ++---------------+--------------++
         0               10             20
      [exit 0]
    */);
    S_plot("--kind=loss --smooth=0.6 --ylog --width=32 --height=8 "
           "--title='train loss' loss.txt");
    EXPECT(/*
                      train loss
          +--------------------------------+
       10 +                                |
          |                                |
          |  *                             |
          |   *******                      |
        1 +       ...*******               |
          |            .  ..****           |
          |                 .  .*****      |
      0.1 +                       ...      |
          ++---------------+--------------++
           0               10             20
      [exit 0]
    */);
    /* The x column is not used: a value's step is its row, from 1. */
    e2e_write("steps.csv", "step,loss\n100,2.3\n200,1.6\n300,1.7\n");
    e2e_write("plain.csv", "loss\n2.3\n1.6\n1.7\n");
    S_same("--kind=loss steps.csv", "--kind=loss plain.csv");
    EXPECT(/* same, exit 0 */);
    e2e_done();
}

TEST(hist)
{
    S_project();
    e2e_write("w.txt", "0.1\n0.5\n0.52\n0.9\n1.3\n1.35\n1.4\n2.2\n");
    S_plot("--kind=hist --width=30 w.txt");
    EXPECT(/*
                     +                              +
      [0.100, 0.625) |############################## 3
      [0.625, 1.150) |########## 1
      [1.150, 1.675) |############################## 3
      [1.675, 2.200] |########## 1
                     +                              +
      [exit 0]
    */);
    S_plot("--kind=hist --bins=3 --width=20 w.txt");
    EXPECT(/*
                 +                    +
      [0.1, 0.8) |############### 3
      [0.8, 1.5) |#################### 4
      [1.5, 2.2] |##### 1
                 +                    +
      [exit 0]
    */);
    /* It counts the y columns: every column but x. */
    e2e_write("xy.txt", "1 0.1\n2 0.5\n3 0.52\n4 0.9\n5 1.3\n6 1.35\n"
                        "7 1.4\n8 2.2\n");
    S_same("--kind=hist xy.txt", "--kind=hist w.txt");
    EXPECT(/* same, exit 0 */);
    e2e_done();
}

TEST(bars)
{
    S_project();
    e2e_write("fruit.csv", "fruit,count\n"
                           "apples,3\n"
                           "\"big pears\",5\n"
                           "kiwis,-2\n");
    S_plot("--kind=bars --width=24 fruit.csv");
    EXPECT(/*
               +       +                 +
      apples           |########## 3
      big pears        |################# 5
      kiwis     #######| -2
               +       +                 +
      [exit 0]
    */);
    /* Labels are any text; with one column, the row index. */
    e2e_write("plain.txt", "3\n5\n1.5\n");
    S_plot("--kind=bars --width=20 plain.txt");
    EXPECT(/*
        +                    +
      0 |############ 3
      1 |#################### 5
      2 |###### 1.5
        +                    +
      [exit 0]
    */);
    /* --columns picks the values, --x the labels. */
    e2e_write("wide.txt", "10 3 apples\n20 5 pears\n");
    S_plot("--kind=bars --width=20 --columns=2 --x=3 wide.txt");
    S_plot("--kind=bars --columns=1 wide.txt");
    EXPECT(/*
             +                    +
      apples |############ 3
      pears  |#################### 5
             +                    +
      [exit 0]
      galley: plot: wide.txt:1: column 1 holds the labels of the bars, not their values
      [exit 1]
    */);
    e2e_done();
}

TEST(heatmap)
{
    S_project();
    e2e_write("m.txt", "0 1 2 3\n"
                       "1 2 3 4\n"
                       "2 3 4 5\n"
                       "3 4 5 9\n");
    S_plot("--kind=heatmap m.txt");
    EXPECT(/*
        +----+
      0 + .:-|
      1 +.:-=|
      2 +:-=+|
      3 +-=+@|
        ++-+-+
         0 2
        0 ' .:-=+*#%@' 9
      [exit 0]
    */);
    /* A header row is not part of the matrix. */
    e2e_write("m.csv", "a,b,c,d\n0,1,2,3\n1,2,3,4\n2,3,4,5\n3,4,5,9\n");
    S_same("--kind=heatmap m.csv", "--kind=heatmap m.txt");
    EXPECT(/* same, exit 0 */);
    e2e_done();
}

/* ---- several files ---- */

TEST(several_files)
{
    S_project();
    e2e_write("run1.csv", "step,loss\n1,2\n2,1\n3,0.5\n");
    e2e_write("run2.csv", "step,loss\n1,2.5\n2,1.5\n3,1\n");
    /* Each file draws its own series, named by the file. */
    S_plot("--width=24 --height=6 run1.csv run2.csv");
    EXPECT(/*
        +------------------------+
      4 +                        |
        |                        |
        |++++++                  |
      2 +******++++++++++++      |
        |      ************++++++|
      0 +                        |
        ++-----------+----------++
         1           2          3
                   step
        * run1.csv   + run2.csv
      [exit 0]
    */);
    e2e_write("two.txt", "1 0.5 3\n3 1.5 2\n");
    S_plot("--width=24 --height=6 two.txt - < run1.csv");
    EXPECT(/*
        +------------------------+
      4 +                        |
        |++++++                  |
        |      ++++++++++++      |
      2 +oooooo      ******++++++|
        |******oooooooooooooooooo|
      0 +                        |
        ++-----------+----------++
         1           2          3
                   step
        * two.txt: column 2   + two.txt: column 3   o <stdin>
      [exit 0]
    */);
    /* A histogram and a bar chart pool the files' rows, a heatmap stacks
     * them: as if the files were one. */
    e2e_write("a.txt", "1 3\n2 1\n");
    e2e_write("b.txt", "3 4\n4 1\n5 9\n");
    e2e_sh("cat a.txt b.txt > ab.txt");
    S_same("--kind=hist a.txt b.txt", "--kind=hist ab.txt");
    S_same("--kind=bars a.txt b.txt", "--kind=bars ab.txt");
    S_same("--kind=heatmap a.txt b.txt", "--kind=heatmap ab.txt");
    /* The stacked rows must be as wide as the first file's. */
    e2e_write("c.txt", "1 2 3\n");
    S_plot("--kind=heatmap a.txt c.txt");
    EXPECT(/*
      same, exit 0
      same, exit 0
      same, exit 0
      galley: plot: c.txt:1: 3 columns, but the rows before have 2 (use --skip-bad to ignore such rows)
      [exit 1]
    */);
    e2e_done();
}

/* ---- options ---- */

TEST(size_title_and_labels)
{
    S_project();
    e2e_write("data.txt", S_curve);
    S_plot("--width=16 --height=4 --title='squares' --xlabel=n "
           "--ylabel='n^2' data.txt");
    EXPECT(/*
              squares
      n^2
         +----------------+
      20 +                |
         |             ***|
      10 +   **********   |
       0 +***             |
         ++----+----+----++
          1    2    3    4
                 n
      [exit 0]
    */);
    /* An empty label removes the one a header gives. */
    e2e_write("named.csv", "n,square\n1,1\n2,4\n");
    e2e_sh("\"$GALLEY_BIN\" plot --xlabel= --width=16 --height=4 named.csv "
           "| tail -n 2");
    EXPECT(/*
       1      1.5     2
      * square
    */);
    e2e_done();
}

TEST(canvases)
{
    S_project();
    e2e_write("data.txt", S_curve);
    S_plot("--canvas=block --width=16 --height=5 data.txt");
    EXPECT(/*
         ┌────────────────┐
      20 ┤                │
      15 ┤             ▄▄▀│
      10 ┤         ▗▄▞▀   │
       5 ┤  ▗▄▄▄▞▀▀▘      │
       0 ┤▀▀▘             │
         └┬────┬────┬────┬┘
          1    2    3    4
      [exit 0]
    */);
    S_plot("--canvas=braille --width=16 --height=5 data.txt");
    EXPECT(/*
         ┌────────────────┐
      20 ┤                │
      15 ┤             ⡠⠔⠊│
      10 ┤         ⣀⠤⠒⠉   │
       5 ┤    ⣀⣀⠤⠒⠉       │
       0 ┤⠒⠊⠉⠉            │
         └┬────┬────┬────┬┘
          1    2    3    4
      [exit 0]
    */);
    e2e_done();
}

TEST(limits_and_log_scales)
{
    S_project();
    e2e_write("data.txt", S_curve);
    S_plot("--xlim=0,10 --ylim=0,20 --width=20 --height=5 data.txt");
    EXPECT(/*
         +--------------------+
      20 +                    |
      15 +       **           |
      10 +     **             |
       5 +   **               |
       0 +  *                 |
         ++---------+--------++
          0         5        10
      [exit 0]
    */);
    e2e_write("decades.txt", "1 1\n10 10\n100 1000\n1000 100000\n");
    S_plot("--xlog --ylog --width=24 --height=6 decades.txt");
    EXPECT(/*
           +------------------------+
       1e6 +                        |
           |                     ***|
           |                 ****   |
      1000 +            *****       |
           |    ********            |
         1 +****                    |
           ++-------+------+-------++
            1       10    100    1000
      [exit 0]
    */);
    e2e_done();
}

TEST(color)
{
    S_project();
    e2e_write("data.txt", S_curve);
    /* Asked for: ANSI escapes (shown by cat -v). */
    e2e_sh("\"$GALLEY_BIN\" plot --color=always --width=10 --height=3 "
           "data.txt | cat -v");
    EXPECT(/*
         +----------+
      20 +        ^[[32m**^[[0m|
      10 +     ^[[32m***^[[0m  |
       0 +^[[32m*****^[[0m     |
         ++--+--+--++
          1  2  3  4
    */);
    /* auto: none into a pipe, as never. */
    S_same("--color=auto data.txt", "--color=never data.txt");
    S_same("data.txt", "--color=never data.txt");
    /* auto: color on a terminal (script(1) makes one), but for NO_COLOR
     * or TERM=dumb. Counted: the lines with an escape. */
    static const char tty[] =
        "script -qc '\"$GALLEY_BIN\" plot --width=10 --height=3 data.txt' "
        "/dev/null | cat -v | grep -c '\\^\\[\\[' || true";
    e2e_sh(tty);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "NO_COLOR=1 %s", tty);
    e2e_sh(cmd);
    snprintf(cmd, sizeof cmd, "TERM=dumb %s", tty);
    e2e_sh(cmd);
    /* FORCE_COLOR: color into a pipe too, but never against NO_COLOR. */
    e2e_sh("FORCE_COLOR=1 \"$GALLEY_BIN\" plot --width=10 --height=3 "
           "data.txt | cat -v | grep -c '\\^\\[\\[' || true");
    e2e_sh("FORCE_COLOR=1 NO_COLOR=1 \"$GALLEY_BIN\" plot --width=10 "
           "--height=3 data.txt | cat -v | grep -c '\\^\\[\\[' || true");
    EXPECT(/*
      same, exit 0
      same, exit 0
      3
      0
      0
      3
      0
    */);
    e2e_done();
}

/* ---- empty and odd data ---- */

TEST(empty_input_draws_an_empty_frame)
{
    S_project();
    S_plot("--width=20 --height=4 < /dev/null");
    EXPECT(/*
          +--------------------+
        1 +                    |
          |                    |
      0.5 +                    |
        0 +                    |
          ++---------+--------++
           0        0.5       1
          note: no data
      [exit 0]
    */);
    e2e_write("comments.txt", "# nothing yet\n\n");
    S_same("comments.txt", "< /dev/null");
    e2e_write("header.csv", "step,loss\n");
    S_plot("--width=20 --height=4 header.csv");
    EXPECT(/*
      same, exit 0
          +--------------------+
        1 +                    |
          |                    |
      0.5 +                    |
        0 +                    |
          ++---------+--------++
           0        0.5       1
                   step
          * loss
          note: no data
      [exit 0]
    */);
    S_plot("--kind=hist --width=20 --height=4 < /dev/null");
    S_plot("--kind=bars --width=20 --height=4 < /dev/null");
    S_plot("--kind=heatmap --width=20 --height=4 < /dev/null");
    S_plot("--kind=loss --width=20 --height=4 < /dev/null");
    EXPECT(/*
          +--------------------+
        1 +                    |
          |                    |
      0.5 +                    |
        0 +                    |
          ++---------+--------++
           0        0.5       1
          note: no data
      [exit 0]
          +--------------------+
        1 +                    |
          |                    |
      0.5 +                    |
        0 +                    |
          ++---------+--------++
           0        0.5       1
          note: no data
      [exit 0]
          +--------------------+
        1 +                    |
          |                    |
      0.5 +                    |
        0 +                    |
          ++---------+--------++
           0        0.5       1
          note: no data
      [exit 0]
          +--------------------+
        1 +                    |
          |                    |
      0.5 +                    |
        0 +                    |
          ++---------+--------++
           0        0.5       1
          note: no data
      [exit 0]
    */);
    e2e_done();
}

TEST(nan_and_inf_are_counted_not_drawn)
{
    S_project();
    e2e_write("data.txt", "1\nnan\n3\ninf\n2\n-inf\n4\n");
    S_plot("--width=20 --height=4 data.txt");
    EXPECT(/*
        +--------------------+
      4 +                   *|
      3 +      *             |
      2 +             *      |
      1 +*                   |
        ++-----+------+-----++
         0     2      4     6
        note: 3 points not shown (NaN or infinite)
      [exit 0]
    */);
    e2e_done();
}
