package io.pxj.hardening;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link ChurnTest}'s concurrent churn, run in a child JVM when this machine's per-process fd
 * limit cannot hold both ends of N connections in one process: opens N connections to {@code host:port}, sends
 * one GET on each, reads every response, prints {@code OPEN <n200>}, keeps them all open until a line arrives on
 * stdin, then closes them and prints {@code CLOSED}.
 */
public final class ChurnClient {
    private ChurnClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress addr = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int n = Integer.parseInt(args[2]);
        List<Socket> open = new ArrayList<>(n);
        int ok = 0;
        try {
            for (int i = 0; i < n; i++) open.add(Raw.connect(addr));
            for (Socket s : open) s.getOutputStream().write(Raw.GET);
            for (Socket s : open) if (Raw.readResponse(s.getInputStream()).status() == 200) ok++;
            System.out.println("OPEN " + ok);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        } finally {
            for (Socket s : open) s.close();
        }
        System.out.println("CLOSED");
    }
}
