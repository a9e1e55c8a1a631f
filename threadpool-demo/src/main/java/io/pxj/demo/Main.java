package io.pxj.demo;

import io.pxj.demo.echo.EchoCommand;
import io.pxj.demo.http.HttpCommand;
import io.pxj.demo.load.LoadCommand;
import io.pxj.demo.work.WorkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.BindException;
import java.util.concurrent.Callable;

/**
 * The PxJ threadpool demo: {@code java -jar threadpool-demo.jar <echo|http|load|work> [options]}.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage error (message + usage on stderr). Errors are one clear
 * message, never a stack trace (set {@code -Dpxj.demo.stacktrace=true} to get one).
 */
@Command(name = "threadpool-demo",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true, usageHelpWidth = 100,
        header = "PxJ: PyParallel's parallel contexts for Java - demo servers, load generator and parallel work.",
        synopsisSubcommandLabel = "COMMAND",
        description = {"Run as: java -jar threadpool-demo.jar COMMAND [OPTIONS]",
                "Every command stops gracefully on Ctrl-C."},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 bad usage.",
                "Run 'java -jar threadpool-demo.jar COMMAND --help' for a command's options."},
        subcommands = {EchoCommand.class, HttpCommand.class, LoadCommand.class, WorkCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit code for failures at run time (the value lives in {@link Cli} so commands need not see Main). */
    public static final int EXIT_FAILURE = Cli.EXIT_FAILURE;

    @Spec
    CommandSpec spec;

    @Option(names = "--self-check",
            description = "Check on loopback that the runtime core (and its backend), io.pxj.http and io.pxj.services"
                    + " work in this JVM, one line each, and exit: 0 if all do, 1 otherwise.")
    boolean selfCheck;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests too). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine));
        return cl;
    }

    @Override
    public Integer call() {
        if (selfCheck) { return SelfCheck.run(spec.commandLine().getOut()); }
        PrintWriter err = spec.commandLine().getErr();
        err.println("Missing command: choose one of echo, http, load, work.");
        spec.commandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    /** One clear line for any failure, no stack trace; maps the failure to an exit code. */
    static int handle(Exception ex, CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        String command = commandLine.getCommandName();
        err.println(command + ": " + describe(ex));
        if (Boolean.getBoolean("pxj.demo.stacktrace")) { ex.printStackTrace(err); }
        err.flush();
        return EXIT_FAILURE;
    }

    /** A failure described in one line, with the most useful cause (e.g. a bind failure). */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException) {
                return "cannot listen: " + c.getMessage()
                        + " (is another server using the port, or is it privileged? choose another --port)";
            }
        }
        if (t instanceof CommandFailedException) {
            return t.getCause() == null ? t.getMessage() : t.getMessage() + " (" + message(t.getCause()) + ")";
        }
        StringBuilder b = new StringBuilder(message(t));
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) { root = root.getCause(); }
        if (root != t) { b.append(" (cause: ").append(message(root)).append(')'); }
        return b.toString();
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }
}
