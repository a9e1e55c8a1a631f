package io.pxj.win32;

import java.util.UUID;

/**
 * The parts of a socket's WSAPROTOCOL_INFOW (getsockopt SO_PROTOCOL_INFOW) that decide how PxJ may drive it.
 *
 * @param serviceFlags1  dwServiceFlags1 (XP1_* bits)
 * @param catalogEntryId dwCatalogEntryId: identifies the provider entry that serves the socket (a layered
 *                       provider has its own entry, distinct from the base provider's)
 * @param providerId     ProviderId GUID
 */
public record ProtocolInfo(int serviceFlags1, int catalogEntryId, UUID providerId) {
    /**
     * XP1_IFS_HANDLES: the provider's socket handles are real file-system handles. Only then is
     * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS safe (MSDN, SetFileCompletionNotificationModes): a non-IFS layered
     * provider completes through its own path, and a skipped packet can then be delivered anyway or a buffer
     * reused while the provider still writes it.
     */
    public static final int XP1_IFS_HANDLES = io.pxj.win32.raw.Constants.XP1_IFS_HANDLES;

    /** True if the provider returns IFS handles: skip-completion-port-on-success may be enabled. */
    public boolean ifsHandles() {
        return (serviceFlags1 & XP1_IFS_HANDLES) != 0;
    }
}
