package io.pxj.http;

import java.nio.file.Path;

/** Every {@link StaticFilesTest} again with the small-file cache off: files are sent zero-copy from disk. */
class StaticFilesUncachedTest extends StaticFilesTest {
    @Override
    StaticFiles files(Path root) {
        return new StaticFiles(root, true, 0, 0, 0);
    }

    @Override
    boolean cached() {
        return false;
    }
}
