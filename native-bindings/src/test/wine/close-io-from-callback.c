/* CloseThreadpoolIo called from the TP_IO's own completion callback, as PxJ's Windows backend does when a socket's
 * last outstanding operation completes after the socket was closed (the deferred close in IoCloseState).
 *
 * For each of ROUNDS loopback connections: a TP_IO on the client socket, in a private pool with a cleanup group
 * (as PxJ's), StartThreadpoolIo + a pending WSARecv; the peer sends one byte; the callback checks it was handed
 * this TP_IO on a pool thread, calls CloseThreadpoolIo(io) and signals only after that call returned. The main
 * thread requires every signal within 5 s (no deadlock, no crash), then that the pool still runs callbacks and
 * that CloseThreadpoolCleanupGroupMembers afterwards does not touch the objects already closed. One line per
 * fact; exit status 0 only if every check held. Built and run by ./run (mingw-w64 + Wine).
 *
 * Built with -DCONTROL_WAIT_IN_CALLBACK (./run --control) the callback first calls
 * WaitForThreadpoolIoCallbacks(io, FALSE), which waits for this very callback: that must hang, and the program
 * must report FAIL, showing the 5 s check catches a close that blocks inside its own callback. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>

#define ROUNDS 200

typedef struct {
    PTP_IO io;              /* the object this context belongs to */
    volatile LONG calls;    /* callbacks seen */
    volatile LONG returned; /* CloseThreadpoolIo returned inside the callback */
    volatile LONG wrong;    /* handed another PTP_IO, or ran on the main thread */
    volatile ULONG result, bytes;
    HANDLE done;
} Ctx;

static DWORD main_thread;
static volatile LONG simple_runs;

static void CALLBACK io_cb(PTP_CALLBACK_INSTANCE inst, PVOID context, PVOID overlapped, ULONG result,
                           ULONG_PTR bytes, PTP_IO io) {
    Ctx *c = context;
    InterlockedIncrement(&c->calls);
    if (io != c->io || GetCurrentThreadId() == main_thread) InterlockedIncrement(&c->wrong);
    c->result = result;
    c->bytes = (ULONG)bytes;
#ifdef CONTROL_WAIT_IN_CALLBACK
    WaitForThreadpoolIoCallbacks(io, FALSE); /* documented to deadlock here: the negative control */
#endif
    CloseThreadpoolIo(io); /* the call under test: from inside this object's own callback */
    InterlockedIncrement(&c->returned);
    SetEvent(c->done);
}

static void CALLBACK simple_cb(PTP_CALLBACK_INSTANCE inst, PVOID context) {
    InterlockedIncrement(&simple_runs);
    SetEvent((HANDLE)context);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    main_thread = GetCurrentThreadId();
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) { printf("FAIL WSAStartup\n"); return 1; }

    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 4);
    SetThreadpoolThreadMinimum(pool, 2);
    PTP_CLEANUP_GROUP group = CreateThreadpoolCleanupGroup();
    TP_CALLBACK_ENVIRON env;
    InitializeThreadpoolEnvironment(&env);
    SetThreadpoolCallbackPool(&env, pool);
    SetThreadpoolCallbackCleanupGroup(&env, group, NULL);

    SOCKET ls = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int alen = sizeof addr;
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 16)
            || getsockname(ls, (struct sockaddr *)&addr, &alen)) {
        printf("FAIL listener: %d\n", WSAGetLastError());
        return 1;
    }

    int ok_rounds = 0, pending = 0, inline_done = 0, timeouts = 0, wrong = 0, not_returned = 0, extra_calls = 0;
    for (int r = 0; r < ROUNDS; r++) {
        SOCKET cs = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (connect(cs, (struct sockaddr *)&addr, sizeof addr)) { printf("FAIL connect: %d\n", WSAGetLastError()); return 1; }
        SOCKET ss = accept(ls, NULL, NULL);
        Ctx *c = calloc(1, sizeof *c); /* never freed: a late callback would still find valid memory */
        c->done = CreateEventW(NULL, TRUE, FALSE, NULL);
        c->io = CreateThreadpoolIo((HANDLE)cs, io_cb, c, &env);
        if (!c->io) { printf("FAIL CreateThreadpoolIo: %lu\n", GetLastError()); return 1; }

        char buf[16];
        WSABUF wb = {sizeof buf, buf};
        DWORD got = 0, flags = 0;
        OVERLAPPED ov = {0};
        StartThreadpoolIo(c->io);
        int rc = WSARecv(cs, &wb, 1, &got, &flags, &ov, NULL);
        int err = rc ? WSAGetLastError() : 0;
        if (rc && err != WSA_IO_PENDING) { CancelThreadpoolIo(c->io); printf("FAIL WSARecv: %d\n", err); return 1; }
        if (rc) pending++; else inline_done++; /* no skip-on-success mode: a packet follows either way */
        send(ss, "x", 1, 0);

        if (WaitForSingleObject(c->done, 5000) != WAIT_OBJECT_0) {
            timeouts++;
            break; /* a callback is stuck: the pool cannot be closed cleanly any more */
        }
        Sleep(r == 0 ? 100 : 0); /* the first round: leave time for a (wrong) second callback */
        if (c->wrong) wrong++;
        if (c->returned != 1) not_returned++;
        if (c->calls != 1) extra_calls++;
        if (!c->wrong && c->returned == 1 && c->calls == 1 && c->result == 0 && c->bytes == 1) ok_rounds++;
        closesocket(cs);
        closesocket(ss);
    }
    printf("rounds: %d of %d (WSARecv pending %d, completed at once %d)\n", pending + inline_done, ROUNDS, pending,
           inline_done);
    if (timeouts) {
        printf("a callback did not signal within 5 s after CloseThreadpoolIo was called from it (round %d)\nFAIL\n",
               pending + inline_done);
        ExitProcess(1); /* a stuck callback would block the pool's close below */
    }
    printf("CloseThreadpoolIo returned inside the TP_IO's own callback, one callback each, 1 byte received: %d of %d\n",
           ok_rounds, ROUNDS);
    printf("callbacks not signalled within 5 s (deadlock or crash): %d; handed another TP_IO or on the main thread: %d;"
           " close not returned: %d; more than one callback: %d\n", timeouts, wrong, not_returned, extra_calls);

    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    BOOL submitted = TrySubmitThreadpoolCallback(simple_cb, ev, &env);
    int pool_alive = submitted && WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0;
    printf("the pool still runs callbacks afterwards: %d\n", pool_alive);

    /* PxJ closes each object exactly once: either itself (here, from the callback) or with the group. The group
     * close must not touch objects already closed. */
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);
    CloseThreadpoolCleanupGroup(group);
    CloseThreadpool(pool);
    printf("cleanup group members and pool closed after the objects closed themselves: 1\n");

    int pass = ok_rounds == ROUNDS && timeouts == 0 && wrong == 0 && not_returned == 0 && extra_calls == 0 && pool_alive;
    printf("%s\n", pass ? "PASS" : "FAIL");
    closesocket(ls);
    WSACleanup();
    return pass ? 0 : 1;
}
