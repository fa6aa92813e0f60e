# vscode-check.pl: reads examples/editors/vscode/.vscode/tasks.json as VS
# Code would, for tests/e2e/editors_test.c, which has no VS Code to run:
#   perl vscode-check.pl TASKS.JSON LABEL REPORT
#   perl vscode-check.pl TASKS.JSON LABEL --run FILE LINE
# prints the task LABEL (its command, its problem matchers' regexps and,
# for a background task, the patterns that begin and end a run), then
# goes through the lines of REPORT, or of the task's own output (run from
# the current directory, the workspace, with ${file} the absolute path of
# FILE, ${lineNumber} LINE and galley $GALLEY_BIN), printing what each
# matcher takes from each line: "OWNER: GROUP | ...", and "begins: LINE"
# / "ends: LINE" where the background patterns match (durations as "T s").
# VS Code's regexps are JavaScript's; these ones (classes, \d, \s, (?:))
# mean the same in Perl.
use strict;
use warnings;
use Cwd qw(getcwd);
use JSON::PP;

my ($tasks_json, $label, @rest) = @ARGV;
die "usage: vscode-check.pl TASKS.JSON LABEL (REPORT | --run FILE LINE)\n"
    unless defined $label && @rest;

# tasks.json is JSON with // comment lines.
open my $fh, '<', $tasks_json or die "$tasks_json: $!\n";
my $text = join '', grep { !m{^\s*//} } <$fh>;
close $fh;
my ($task) = grep { $_->{label} eq $label } @{decode_json($text)->{tasks}};
die "no task '$label'\n" unless $task;

my @matchers = @{$task->{problemMatcher}};
my @args = @{$task->{args} || []};
print "task '$label': $task->{type}: ", join(' ', $task->{command}, @args),
    $task->{isBackground} ? ', in the background' : '', "\n";
for my $m (@matchers) {
    print "  $m->{owner}: $m->{pattern}{regexp}\n";
    next unless $m->{background};
    print "    begins: $m->{background}{beginsPattern}\n";
    print "    ends: $m->{background}{endsPattern}\n";
}

# The lines to match: a report's, or those of the task run here.
my @lines;
if ($rest[0] eq '--run') {
    my ($file, $line) = @rest[1, 2];
    my $workspace = getcwd();
    my @argv = map { s/\$\{file\}/$workspace\/$file/gr
                         =~ s/\$\{lineNumber\}/$line/gr } @args;
    my @shown = map { s/^\Q$workspace\E/\${workspaceFolder}/r } @argv;
    print "command: ", join(' ', $task->{command}, @shown), "\n";
    my $command = $task->{command} eq 'galley' ? $ENV{GALLEY_BIN}
                                               : $task->{command};
    local %ENV = (%ENV, %{$task->{options}{env} || {}});
    my $pid = open(my $out, '-|') // die "fork: $!\n";
    if (!$pid) {
        open STDERR, '>&', \*STDOUT;
        exec $command, @argv or die "exec $command: $!\n";
    }
    @lines = <$out>;
    close $out;
    print "[exit ", $? >> 8, "]\n";
} else {
    open my $in, '<', $rest[0] or die "$rest[0]: $!\n";
    @lines = <$in>;
    close $in;
}

# Each line, as VS Code's matchers see it: the background patterns of the
# first matcher that has them (all the task's matchers begin and end
# together), then each matcher's pattern.
my ($bg) = map { $_->{background} } grep { $_->{background} } @matchers;
for my $line (@lines) {
    chomp $line;
    my $shown = $line =~ s/\b[0-9.]+ s\b/T s/gr;
    print "begins: $shown\n" if $bg && $line =~ /$bg->{beginsPattern}/;
    for my $m (@matchers) {
        print "$m->{owner}: ", join(' | ', @{^CAPTURE}), "\n"
            if $line =~ /$m->{pattern}{regexp}/;
    }
    print "ends: $shown\n" if $bg && $line =~ /$bg->{endsPattern}/;
}
