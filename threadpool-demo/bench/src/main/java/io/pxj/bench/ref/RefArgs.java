package io.pxj.bench.ref;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --key value} options shared by the reference servers. */
final class RefArgs {
    private final Map<String, String> values = new HashMap<>();

    private RefArgs() {}

    static RefArgs parse(String[] args, String usage) {
        RefArgs a = new RefArgs();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("-h") || k.equals("--help")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!k.startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad argument '" + k + "'\n" + usage);
                System.exit(2);
            }
            a.values.put(k.substring(2), args[++i]);
        }
        return a;
    }

    String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    /** An int option; 0 or absent means "not wanted" when {@code dflt} is 0. */
    int getInt(String key, int dflt) {
        String v = values.get(key);
        return v == null ? dflt : Integer.parseInt(v);
    }

    Path root() {
        String r = values.get("root");
        return r == null ? null : Path.of(r).toAbsolutePath().normalize();
    }

    int threads() {
        return getInt("threads", Runtime.getRuntime().availableProcessors());
    }
}
