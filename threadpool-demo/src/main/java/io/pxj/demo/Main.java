package io.pxj.demo;

/** Placeholder entry point until the demo subcommands land. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("PxJ threadpool-demo: the echo/http/load/work subcommands are not built yet.");
    }
}
