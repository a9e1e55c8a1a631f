package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.raw.Guid;

import org.junit.jupiter.api.Test;

import java.util.UUID;

/** XP1_IFS_HANDLES decoding and the WSAPROTOCOL_INFOW ProviderId GUID read from memory. */
class ProtocolInfoTest {
    @Test
    void ifsHandlesIsTheXp1Bit() {
        // 0x20066: what the base TCP/IP provider reports (Wine 8 prints the same).
        assertTrue(new ProtocolInfo(0x20066, 1001, null).ifsHandles());
        assertFalse(new ProtocolInfo(0x00066, 1001, null).ifsHandles());
        assertEquals(0x20000, ProtocolInfo.XP1_IFS_HANDLES);
    }

    @Test
    void providerIdGuidBytesBecomeTheUuidOfTheSameString() {
        String s = "e70f1aa0-ab8b-11cf-8ca3-00805f48a192";
        assertEquals(UUID.fromString(s), NativeWinsock.guidToUuid(Guid.parse(s).toBytes()));
    }

    @Test
    void facadesThatCannotTellReportNoIfsProviderByFailing() {
        Winsock ws = org.mockito.Mockito.mock(Winsock.class, org.mockito.Mockito.CALLS_REAL_METHODS);
        WindowsException e = org.junit.jupiter.api.Assertions.assertThrows(WindowsException.class,
                () -> ws.protocolInfo(5));
        assertEquals(10042, e.errorCode());
    }
}
