/*
 * pxj-wine-bridge: executes the Win32 calls of PxJ's io.pxj.win32 facade for a JVM that is not on Windows.
 * Built with mingw-w64 (x86_64-w64-mingw32-gcc -O2 pxj-wine-bridge.c -lws2_32 -lmswsock) and run under wine64
 * by io.pxj.win32.WineBridge; see WineBridge's class comment for the design. In short:
 *
 *  - The JVM connects request connections to the port this program prints on stdout ("PXJ-BRIDGE <port>"); each
 *    is served by its own thread, which runs one call at a time (GetQueuedCompletionStatus may block it).
 *  - Every thread-pool callback (simple, work, timer, wait, I/O) runs on its Wine pool thread as on Windows: the
 *    thread sends a CALLBACK message on its own connection to the JVM (opened on its first callback, closed by an
 *    FLS callback when the thread exits), then serves the calls of the paired Java thread until RETURN, so calls
 *    made from inside a callback run on the very thread that runs the callback.
 *  - Memory never crosses: each overlapped operation gets a block of its own here (OVERLAPPED + buffers), tagged
 *    with the JVM's operation id; bytes to send arrive with the call, received bytes leave with the completion
 *    (or with the synchronous outcome). The block lives until its completion was delivered.
 *  - Error codes are Wine's own (GetLastError / WSAGetLastError), passed through.
 *  - The process exits when stdin reaches EOF: the JVM that started it is gone.
 *
 * Wire format (little-endian): a frame is u32 length + body. Request body: u32 op, arguments. Response body:
 * i64 ret, u32 error, op-specific results. Keep the op numbers in sync with WineBridge.Op.
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OP_RETURN = 0, OP_HELLO = 1, OP_PROCESSORS = 2, OP_CREATE_EVENT = 3, OP_SET_EVENT = 4, OP_RESET_EVENT = 5,
    OP_CLOSE_HANDLE = 6, OP_CP_CLOSE = 10, OP_OPEN_FILE = 7, OP_NT_TO_DOS = 8, OP_FORMAT_MESSAGE = 9,
    OP_CP_CREATE = 20, OP_CP_ASSOCIATE = 21, OP_CP_POST = 22, OP_CP_DEQUEUE = 23, OP_CP_DEQUEUE_BATCH = 24,
    OP_TP_CREATE_POOL = 40, OP_TP_SET_MAX = 41, OP_TP_SET_MIN = 42, OP_TP_CREATE_GROUP = 43, OP_TP_CREATE_ENV = 44,
    OP_TP_DESTROY_ENV = 45, OP_TP_TRY_SUBMIT = 46, OP_TP_CREATE_WORK = 47, OP_TP_SUBMIT_WORK = 48,
    OP_TP_WAIT_WORK = 49, OP_TP_CLOSE_WORK = 50, OP_TP_CREATE_IO = 51, OP_TP_START_IO = 52, OP_TP_CANCEL_IO = 53,
    OP_TP_CLOSE_IO = 54, OP_TP_WAIT_IO = 55, OP_TP_CREATE_TIMER = 56, OP_TP_SET_TIMER = 57, OP_TP_IS_TIMER_SET = 58,
    OP_TP_WAIT_TIMER = 59, OP_TP_CLOSE_TIMER = 60, OP_TP_CREATE_WAIT = 61, OP_TP_SET_WAIT = 62, OP_TP_WAIT_WAIT = 63,
    OP_TP_CLOSE_WAIT = 64, OP_TP_CLOSE_MEMBERS = 65, OP_TP_CLOSE_GROUP = 66, OP_TP_CLOSE_POOL = 67,
    OP_TP_MAY_RUN_LONG = 68,
    OP_WS_SOCKET = 80, OP_WS_SETSOCKOPT_INT = 81, OP_WS_SET_LINGER = 82, OP_WS_UPDATE_ACCEPT = 83,
    OP_WS_UPDATE_CONNECT = 84, OP_WS_SO_ERROR = 85, OP_WS_BIND = 86, OP_WS_LISTEN = 87, OP_WS_SOCKNAME = 88,
    OP_WS_PEERNAME = 89, OP_WS_SHUTDOWN = 90, OP_WS_CLOSE = 91, OP_WS_SKIP_ON_SUCCESS = 92, OP_WS_ACCEPTEX = 93,
    OP_WS_ACCEPT_ADDRS = 94, OP_WS_CONNECTEX = 95, OP_WS_DISCONNECTEX = 96, OP_WS_TRANSMITFILE = 97,
    OP_WS_RECV = 98, OP_WS_SEND = 99, OP_WS_CANCEL_IO = 100, OP_WS_PROTOCOL_INFO = 101,
    OP_TEST_HOLD = 120
};
enum { CB_SIMPLE = 1, CB_WORK = 2, CB_TIMER = 3, CB_WAIT = 4, CB_IO = 5 };
enum { K_POSTED = 1, K_RECV, K_SEND, K_ACCEPT, K_CONNECT, K_DISCONNECT, K_TRANSMIT };
#define ADDR_LEN (sizeof(SOCKADDR_STORAGE) + 16)
#define BOP_MAGIC 0x50584A4FU
#define RAW_CALL 0x80000000U /* in a flags argument: skip the shim (tests that show a Wine deviation) */

/* ------------------------------------------------------------------ framing */

typedef struct { const uint8_t *p, *end; int bad; } rd;
typedef struct { uint8_t *b; uint32_t n, cap; } wr;

static uint32_t g32(rd *r) { uint32_t v = 0; if (r->end - r->p < 4) { r->bad = 1; return 0; } memcpy(&v, r->p, 4); r->p += 4; return v; }
static uint64_t g64(rd *r) { uint64_t v = 0; if (r->end - r->p < 8) { r->bad = 1; return 0; } memcpy(&v, r->p, 8); r->p += 8; return v; }
static const uint8_t *gbytes(rd *r, uint32_t n) {
    if ((uint64_t)(r->end - r->p) < n) { r->bad = 1; return NULL; }
    const uint8_t *q = r->p; r->p += n; return q;
}
static void wgrow(wr *w, uint32_t more) {
    if (w->n + more <= w->cap) return;
    uint32_t c = w->cap ? w->cap : 256;
    while (c < w->n + more) c *= 2;
    w->b = realloc(w->b, c); w->cap = c;
    if (!w->b) { fprintf(stderr, "pxj-wine-bridge: out of memory\n"); ExitProcess(4); }
}
static void p32(wr *w, uint32_t v) { wgrow(w, 4); memcpy(w->b + w->n, &v, 4); w->n += 4; }
static void p64(wr *w, uint64_t v) { wgrow(w, 8); memcpy(w->b + w->n, &v, 8); w->n += 8; }
static void pbytes(wr *w, const void *src, uint32_t n) { p32(w, n); if (n) { wgrow(w, n); memcpy(w->b + w->n, src, n); w->n += n; } }
static void wbegin(wr *w) { w->n = 0; p32(w, 0); }

static int recv_all(SOCKET s, void *buf, int n) {
    char *p = buf;
    while (n > 0) { int k = recv(s, p, n, 0); if (k <= 0) return -1; p += k; n -= k; }
    return 0;
}
static int send_all(SOCKET s, const void *buf, int n) {
    const char *p = buf;
    while (n > 0) { int k = send(s, p, n, 0); if (k <= 0) return -1; p += k; n -= k; }
    return 0;
}
static int send_frame(SOCKET s, wr *w) { uint32_t len = w->n - 4; memcpy(w->b, &len, 4); return send_all(s, w->b, w->n); }
/* Reads one frame into *buf (reallocated as needed); returns its length or -1 at EOF. */
static int read_frame(SOCKET s, uint8_t **buf, uint32_t *cap) {
    uint32_t len;
    if (recv_all(s, &len, 4)) return -1;
    if (len > (256u << 20)) { fprintf(stderr, "pxj-wine-bridge: frame of %u bytes refused\n", len); return -1; }
    if (len > *cap) { *buf = realloc(*buf, len ? len : 1); *cap = len; if (!*buf) return -1; }
    if (len && recv_all(s, *buf, (int)len)) return -1;
    return (int)len;
}

/* ------------------------------------------------------------------ globals */

static uint16_t jvm_port;
static char token[64];
static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;
static LPFN_TRANSMITFILE pTransmitFile;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;
static DWORD fls_conn;
static DWORD tls_cancelled; /* per thread: the wr collecting cleanup-group cancel contexts, during CLOSE_MEMBERS */

/* Sockets in skip-completion-port-on-success mode: a synchronous success queues no packet for them. */
#define SKIP_SLOTS 65536
static SOCKET skip_set[SKIP_SLOTS];
static SRWLOCK skip_lock = SRWLOCK_INIT;
static int skip_find(SOCKET s) {
    for (uint32_t i = (uint32_t)((s >> 2) * 2654435761u) % SKIP_SLOTS, k = 0; k < SKIP_SLOTS; k++, i = (i + 1) % SKIP_SLOTS) {
        if (skip_set[i] == s) return (int)i;
        if (skip_set[i] == 0) return -1 - (int)i;
    }
    return INT32_MIN;
}
static void skip_add(SOCKET s) {
    AcquireSRWLockExclusive(&skip_lock);
    int i = skip_find(s);
    if (i < 0 && i != INT32_MIN) skip_set[-1 - i] = s;
    ReleaseSRWLockExclusive(&skip_lock);
}
static void skip_remove(SOCKET s) {
    AcquireSRWLockExclusive(&skip_lock);
    int i = skip_find(s);
    if (i >= 0) { /* backward-shift deletion keeps probe chains intact */
        uint32_t j = (uint32_t)i;
        skip_set[j] = 0;
        for (uint32_t k = (j + 1) % SKIP_SLOTS; skip_set[k] != 0; k = (k + 1) % SKIP_SLOTS) {
            SOCKET v = skip_set[k]; skip_set[k] = 0;
            int f = skip_find(v); skip_set[-1 - f] = v;
        }
    }
    ReleaseSRWLockExclusive(&skip_lock);
}
static int skip_has(SOCKET s) {
    AcquireSRWLockShared(&skip_lock);
    int r = skip_find(s) >= 0;
    ReleaseSRWLockShared(&skip_lock);
    return r;
}

/*
 * Wine deviation: closing a completion port does not wake a thread blocked in GetQueuedCompletionStatus(Ex) on it
 * (Windows returns FALSE with ERROR_ABANDONED_WAIT_0; Wine waits out the timeout). Shim: count the waiters per port
 * and, on close, post one sentinel packet per waiter first; a dequeue that meets it reports ERROR_ABANDONED_WAIT_0.
 */
#define PORT_SLOTS 256
static struct { HANDLE port; LONG waiters; } port_waiters[PORT_SLOTS];
static SRWLOCK port_lock = SRWLOCK_INIT;
static OVERLAPPED abandon_sentinel;
static void port_wait(HANDLE port, int delta) {
    AcquireSRWLockExclusive(&port_lock);
    int free_slot = -1;
    for (int i = 0; i < PORT_SLOTS; i++) {
        if (port_waiters[i].port == port) {
            port_waiters[i].waiters += delta;
            if (port_waiters[i].waiters <= 0) port_waiters[i].port = NULL;
            ReleaseSRWLockExclusive(&port_lock);
            return;
        }
        if (!port_waiters[i].port && free_slot < 0) free_slot = i;
    }
    if (delta > 0 && free_slot >= 0) { port_waiters[free_slot].port = port; port_waiters[free_slot].waiters = delta; }
    ReleaseSRWLockExclusive(&port_lock);
}
static LONG port_waiting(HANDLE port) {
    LONG n = 0;
    AcquireSRWLockShared(&port_lock);
    for (int i = 0; i < PORT_SLOTS; i++) if (port_waiters[i].port == port) n = port_waiters[i].waiters;
    ReleaseSRWLockShared(&port_lock);
    return n;
}

/* ------------------------------------------------------------------ operation blocks */

typedef struct bop {
    OVERLAPPED ov;          /* first: the kernel's pointer is the block's */
    uint32_t magic, kind;
    uint64_t opid;          /* the JVM's operation id (or, for K_POSTED, the JVM's OVERLAPPED value) */
    volatile LONG refs;     /* the issuing call + the completion */
    uint32_t nbufs;
    WSABUF *bufs;
    TRANSMIT_FILE_BUFFERS tfb;
    uint32_t datalen;       /* bytes of data[] that travel back with the completion (receive, AcceptEx) */
    uint32_t cap;
    SOCKADDR_STORAGE sa;
    uint8_t data[];
} bop;

static bop *bop_new(uint32_t kind, uint64_t opid, uint32_t cap, uint32_t nbufs) {
    bop *b = calloc(1, sizeof(bop) + cap + 1);
    if (!b) { fprintf(stderr, "pxj-wine-bridge: out of memory\n"); ExitProcess(4); }
    b->magic = BOP_MAGIC; b->kind = kind; b->opid = opid; b->refs = 2; b->cap = cap; b->nbufs = nbufs;
    if (nbufs) b->bufs = calloc(nbufs, sizeof(WSABUF));
    return b;
}
static void bop_release(bop *b) {
    if (InterlockedDecrement(&b->refs) == 0) { b->magic = 0; free(b->bufs); free(b); }
}
static bop *as_bop(LPOVERLAPPED ov) {
    if (ov == &abandon_sentinel) return NULL;
    bop *b = (bop *)ov;
    if (b && b->magic != BOP_MAGIC) { fprintf(stderr, "pxj-wine-bridge: completion for an unknown OVERLAPPED %p\n", ov); ExitProcess(5); }
    return b;
}
/* Data that travels back with a successful completion of this block. */
static uint32_t bop_payload(bop *b, uint32_t bytes) {
    if (b->kind == K_RECV) return bytes < b->datalen ? bytes : b->datalen;
    if (b->kind == K_ACCEPT) return b->datalen;
    return 0;
}

/*
 * The immediate outcome of an overlapped call, and the block's fate: i64 ret (bytes, or -error; -997 pending),
 * u32 error, u32 completion-follows (bit 0; bits 1 and 2: which shim decided the outcome), u64 block address (for CancelIoEx), u32 OVERLAPPED.Internal, then the payload of a synchronous
 * success. A synchronous failure never queues a packet; a synchronous success queues none on a handle in
 * skip-on-success mode.
 */
static void io_outcome_ex(wr *out, uint32_t mark, bop *b, SOCKET handle, int ok, DWORD bytes, int err, uint32_t shim);
static void io_outcome(wr *out, uint32_t mark, bop *b, SOCKET handle, int ok, DWORD bytes, int err) {
    io_outcome_ex(out, mark, b, handle, ok, bytes, err, 0);
}
static void io_outcome_ex(wr *out, uint32_t mark, bop *b, SOCKET handle, int ok, DWORD bytes, int err, uint32_t shim) {
    int follows;
    out->n = mark; /* replaces call()'s placeholder ret and error */
    int64_t ret;
    if (ok) { ret = bytes; err = 0; follows = !skip_has(handle); }
    else if (err == WSA_IO_PENDING || err == ERROR_IO_PENDING) { ret = -997; follows = 1; }
    else { ret = -(int64_t)(uint32_t)err; follows = 0; }
    p64(out, (uint64_t)ret); p32(out, (uint32_t)err); p32(out, (uint32_t)follows | shim); p64(out, (uint64_t)(uintptr_t)b);
    p32(out, (uint32_t)b->ov.Internal);
    uint32_t n = ok ? bop_payload(b, bytes) : 0;
    pbytes(out, b->data, n);
    if (!follows) bop_release(b); /* the completion's reference: none will come */
    bop_release(b);
}

/* ------------------------------------------------------------------ thread-pool callbacks */

static SOCKET connect_jvm(uint32_t kind) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET; a.sin_port = htons(jvm_port); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s == INVALID_SOCKET || connect(s, (struct sockaddr *)&a, sizeof a)) {
        fprintf(stderr, "pxj-wine-bridge: cannot reach the JVM on port %u (error %d)\n", jvm_port, WSAGetLastError());
        ExitProcess(3);
    }
    BOOL on = TRUE; setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&on, sizeof on);
    wr w = {0}; wbegin(&w); pbytes(&w, token, (uint32_t)strlen(token)); p32(&w, kind); p32(&w, GetCurrentThreadId());
    if (send_frame(s, &w)) ExitProcess(3);
    free(w.b);
    return s;
}

static void WINAPI fls_done(void *v) { if (v) closesocket((SOCKET)(uintptr_t)v); }

static void serve(SOCKET s, int until_return);

/* Sends a CALLBACK frame on this pool thread's connection, then serves the paired Java thread until RETURN. */
static void run_callback(wr *msg) {
    SOCKET s = (SOCKET)(uintptr_t)FlsGetValue(fls_conn);
    if (!s) { s = connect_jvm(2); FlsSetValue(fls_conn, (void *)(uintptr_t)s); }
    if (send_frame(s, msg)) { fprintf(stderr, "pxj-wine-bridge: JVM gone during a callback\n"); ExitProcess(3); }
    serve(s, 1);
}
static void cb_begin(wr *w, uint32_t kind, PVOID ctx, PTP_CALLBACK_INSTANCE inst) {
    wbegin(w); p32(w, kind); p64(w, (uint64_t)(uintptr_t)ctx); p64(w, (uint64_t)(uintptr_t)inst);
}
static void CALLBACK simple_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx) {
    wr w = {0}; cb_begin(&w, CB_SIMPLE, ctx, inst); run_callback(&w); free(w.b);
}
static void CALLBACK work_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WORK work) {
    wr w = {0}; cb_begin(&w, CB_WORK, ctx, inst); run_callback(&w); free(w.b);
}
static void CALLBACK timer_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_TIMER timer) {
    wr w = {0}; cb_begin(&w, CB_TIMER, ctx, inst); run_callback(&w); free(w.b);
}
static void CALLBACK wait_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PTP_WAIT wait, TP_WAIT_RESULT result) {
    wr w = {0}; cb_begin(&w, CB_WAIT, ctx, inst); p32(&w, result); run_callback(&w); free(w.b);
}
static void CALLBACK io_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PVOID ov, ULONG result, ULONG_PTR bytes, PTP_IO io) {
    bop *b = as_bop(ov);
    wr w = {0}; cb_begin(&w, CB_IO, ctx, inst);
    p64(&w, b ? b->opid : 0); p32(&w, result); p64(&w, (uint64_t)bytes); p32(&w, b ? (uint32_t)b->ov.Internal : 0);
    uint32_t n = b && result == 0 ? bop_payload(b, (uint32_t)bytes) : 0;
    pbytes(&w, b ? b->data : NULL, n);
    run_callback(&w);
    free(w.b);
    if (b) bop_release(b); /* delivered: the JVM's handler has returned */
}
static void CALLBACK cancel_cb(PVOID objctx, PVOID cleanupctx) {
    wr *w = TlsGetValue(tls_cancelled);
    if (w) p64(w, (uint64_t)(uintptr_t)objctx);
}

/* ------------------------------------------------------------------ calls */

static void fill_sockaddr(SOCKADDR_STORAGE *sa, const uint8_t *src, uint32_t n) {
    memset(sa, 0, sizeof *sa); memcpy(sa, src, n < sizeof *sa ? n : sizeof *sa);
}
static int64_t bool_ret(BOOL ok, DWORD *err) { *err = ok ? 0 : GetLastError(); return ok ? 1 : 0; }
static int64_t ws_ret(int rc, DWORD *err) { *err = rc ? (DWORD)WSAGetLastError() : 0; return rc ? -1 : 0; }
static FILETIME *filetime(int has, uint64_t v, FILETIME *ft) {
    if (!has) return NULL;
    ft->dwLowDateTime = (DWORD)v; ft->dwHighDateTime = (DWORD)(v >> 32); return ft;
}

/* One dequeued packet: u64 key, u32 is-op, u64 value (JVM op id, or the posted JVM OVERLAPPED), u32 bytes,
 * u32 error, u32 OVERLAPPED.Internal, payload. Frees the block (a port has no callback to wait for). */
static void put_packet(wr *out, ULONG_PTR key, LPOVERLAPPED ov, DWORD bytes, DWORD error) {
    bop *b = as_bop(ov);
    p64(out, key);
    p32(out, b && b->kind != K_POSTED);
    p64(out, b ? b->opid : 0);
    p32(out, bytes); p32(out, error); p32(out, b ? (uint32_t)b->ov.Internal : 0);
    uint32_t n = b && b->kind != K_POSTED && error == 0 ? bop_payload(b, bytes) : 0;
    pbytes(out, b ? b->data : NULL, n);
    if (b) {
        if (b->kind == K_POSTED) { b->refs = 1; }
        bop_release(b);
    }
}

static void call(uint32_t op, rd *in, wr *out) {
    DWORD err = 0;
    int64_t ret = 0;
    uint32_t mark = out->n; /* ret and err are patched in at mark */
    p64(out, 0); p32(out, 0);
    switch (op) {
    case OP_HELLO: ret = 0x50584A01; break;
    case OP_PROCESSORS: { SYSTEM_INFO si; GetSystemInfo(&si); ret = si.dwNumberOfProcessors; break; }
    case OP_CREATE_EVENT: {
        uint32_t manual = g32(in), initial = g32(in);
        HANDLE h = CreateEventW(NULL, manual, initial, NULL); ret = (int64_t)(uintptr_t)h; err = h ? 0 : GetLastError(); break;
    }
    case OP_SET_EVENT: ret = bool_ret(SetEvent((HANDLE)(uintptr_t)g64(in)), &err); break;
    case OP_RESET_EVENT: ret = bool_ret(ResetEvent((HANDLE)(uintptr_t)g64(in)), &err); break;
    case OP_CLOSE_HANDLE: ret = bool_ret(CloseHandle((HANDLE)(uintptr_t)g64(in)), &err); break;
    case OP_CP_CLOSE: {
        HANDLE port = (HANDLE)(uintptr_t)g64(in); uint32_t shim = g32(in);
        LONG n = shim ? port_waiting(port) : 0;
        for (LONG i = 0; i < n; i++) PostQueuedCompletionStatus(port, 0, 0, &abandon_sentinel);
        ret = bool_ret(CloseHandle(port), &err);
        p32(out, (uint32_t)n);
        break;
    }
    case OP_OPEN_FILE: {
        uint32_t n = g32(in); const uint8_t *p = gbytes(in, n);
        if (!p) break;
        WCHAR *name = calloc(n / 2 + 1, sizeof(WCHAR)); memcpy(name, p, n);
        HANDLE h = CreateFileW(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                               OPEN_EXISTING, FILE_FLAG_OVERLAPPED | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
        free(name);
        ret = h == INVALID_HANDLE_VALUE ? -1 : (int64_t)(uintptr_t)h; err = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
        break;
    }
    case OP_NT_TO_DOS: {
        typedef ULONG (WINAPI *fn_t)(LONG);
        static fn_t f;
        if (!f) f = (fn_t)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "RtlNtStatusToDosError");
        ret = f((LONG)g32(in)); break;
    }
    case OP_FORMAT_MESSAGE: {
        WCHAR buf[1024];
        DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, g32(in), 0, buf, 1024, NULL);
        ret = n; err = n ? 0 : GetLastError();
        pbytes(out, buf, n * 2);
        break;
    }
    /* --- completion ports */
    case OP_CP_CREATE: {
        HANDLE h = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, g32(in));
        ret = (int64_t)(uintptr_t)h; err = h ? 0 : GetLastError(); break;
    }
    case OP_CP_ASSOCIATE: {
        HANDLE port = (HANDLE)(uintptr_t)g64(in), h = (HANDLE)(uintptr_t)g64(in); ULONG_PTR key = g64(in);
        HANDLE r = CreateIoCompletionPort(h, port, key, 0); ret = r ? 1 : 0; err = r ? 0 : GetLastError(); break;
    }
    case OP_CP_POST: {
        HANDLE port = (HANDLE)(uintptr_t)g64(in); DWORD bytes = g32(in); ULONG_PTR key = g64(in); uint64_t jov = g64(in);
        bop *b = NULL;
        if (jov) { b = bop_new(K_POSTED, jov, 0, 0); b->refs = 1; }
        BOOL ok = PostQueuedCompletionStatus(port, bytes, key, b ? &b->ov : NULL);
        if (!ok && b) bop_release(b);
        ret = bool_ret(ok, &err); break;
    }
    case OP_CP_DEQUEUE: {
        HANDLE port = (HANDLE)(uintptr_t)g64(in); DWORD timeout = g32(in);
        DWORD bytes = 0; ULONG_PTR key = 0; LPOVERLAPPED ov = NULL;
        port_wait(port, 1);
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, timeout);
        DWORD e = ok ? 0 : GetLastError();
        port_wait(port, -1);
        if (ov == &abandon_sentinel) { ret = 0; err = ERROR_ABANDONED_WAIT_0; }
        else if (ok || ov) { ret = 1; put_packet(out, key, ov, bytes, e); }
        else { ret = 0; err = e; }
        break;
    }
    case OP_CP_DEQUEUE_BATCH: {
        HANDLE port = (HANDLE)(uintptr_t)g64(in); uint32_t max = g32(in); DWORD timeout = g32(in);
        if (max > 4096) max = 4096;
        OVERLAPPED_ENTRY *e = calloc(max ? max : 1, sizeof *e); ULONG n = 0;
        port_wait(port, 1);
        BOOL ok = GetQueuedCompletionStatusEx(port, e, max, &n, timeout, FALSE);
        port_wait(port, -1);
        ULONG real = 0;
        for (ULONG i = 0; ok && i < n; i++) if (e[i].lpOverlapped != &abandon_sentinel) real++;
        if (!ok) { ret = -1; err = GetLastError(); }
        else if (real == 0) { ret = -1; err = ERROR_ABANDONED_WAIT_0; }
        else {
            typedef ULONG (WINAPI *fn_t)(LONG);
            fn_t nt = (fn_t)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "RtlNtStatusToDosError");
            ret = real;
            for (ULONG i = 0; i < n; i++) {
                if (e[i].lpOverlapped == &abandon_sentinel) continue;
                bop *b = as_bop(e[i].lpOverlapped);
                DWORD er = b && b->kind != K_POSTED ? nt((LONG)b->ov.Internal) : 0;
                put_packet(out, e[i].lpCompletionKey, e[i].lpOverlapped, e[i].dwNumberOfBytesTransferred, er);
            }
        }
        free(e);
        break;
    }
    /* --- thread pool */
    case OP_TP_CREATE_POOL: { PTP_POOL p = CreateThreadpool(NULL); ret = (int64_t)(uintptr_t)p; err = p ? 0 : GetLastError(); break; }
    case OP_TP_SET_MAX: { PTP_POOL p = (PTP_POOL)(uintptr_t)g64(in); SetThreadpoolThreadMaximum(p, g32(in)); break; }
    case OP_TP_SET_MIN: { PTP_POOL p = (PTP_POOL)(uintptr_t)g64(in); ret = bool_ret(SetThreadpoolThreadMinimum(p, g32(in)), &err); break; }
    case OP_TP_CREATE_GROUP: { PTP_CLEANUP_GROUP g = CreateThreadpoolCleanupGroup(); ret = (int64_t)(uintptr_t)g; err = g ? 0 : GetLastError(); break; }
    case OP_TP_CREATE_ENV: {
        PTP_POOL p = (PTP_POOL)(uintptr_t)g64(in); PTP_CLEANUP_GROUP g = (PTP_CLEANUP_GROUP)(uintptr_t)g64(in); uint32_t runs_long = g32(in);
        TP_CALLBACK_ENVIRON *env = calloc(1, sizeof *env);
        InitializeThreadpoolEnvironment(env);
        SetThreadpoolCallbackPool(env, p);
        if (g) SetThreadpoolCallbackCleanupGroup(env, g, cancel_cb);
        if (runs_long) SetThreadpoolCallbackRunsLong(env);
        ret = (int64_t)(uintptr_t)env; break;
    }
    case OP_TP_DESTROY_ENV: { TP_CALLBACK_ENVIRON *env = (TP_CALLBACK_ENVIRON *)(uintptr_t)g64(in); DestroyThreadpoolEnvironment(env); free(env); break; }
    case OP_TP_TRY_SUBMIT: {
        PVOID ctx = (PVOID)(uintptr_t)g64(in); PTP_CALLBACK_ENVIRON env = (PTP_CALLBACK_ENVIRON)(uintptr_t)g64(in);
        ret = bool_ret(TrySubmitThreadpoolCallback(simple_cb, ctx, env), &err); break;
    }
    case OP_TP_CREATE_WORK: {
        PVOID ctx = (PVOID)(uintptr_t)g64(in); PTP_CALLBACK_ENVIRON env = (PTP_CALLBACK_ENVIRON)(uintptr_t)g64(in);
        PTP_WORK w = CreateThreadpoolWork(work_cb, ctx, env); ret = (int64_t)(uintptr_t)w; err = w ? 0 : GetLastError(); break;
    }
    case OP_TP_SUBMIT_WORK: SubmitThreadpoolWork((PTP_WORK)(uintptr_t)g64(in)); break;
    case OP_TP_WAIT_WORK: { PTP_WORK w = (PTP_WORK)(uintptr_t)g64(in); WaitForThreadpoolWorkCallbacks(w, g32(in)); break; }
    case OP_TP_CLOSE_WORK: CloseThreadpoolWork((PTP_WORK)(uintptr_t)g64(in)); break;
    case OP_TP_CREATE_IO: {
        HANDLE h = (HANDLE)(uintptr_t)g64(in); PVOID ctx = (PVOID)(uintptr_t)g64(in); PTP_CALLBACK_ENVIRON env = (PTP_CALLBACK_ENVIRON)(uintptr_t)g64(in);
        PTP_IO io = CreateThreadpoolIo(h, io_cb, ctx, env); ret = (int64_t)(uintptr_t)io; err = io ? 0 : GetLastError(); break;
    }
    case OP_TP_START_IO: StartThreadpoolIo((PTP_IO)(uintptr_t)g64(in)); break;
    case OP_TP_CANCEL_IO: CancelThreadpoolIo((PTP_IO)(uintptr_t)g64(in)); break;
    case OP_TP_CLOSE_IO: CloseThreadpoolIo((PTP_IO)(uintptr_t)g64(in)); break;
    case OP_TP_WAIT_IO: { PTP_IO io = (PTP_IO)(uintptr_t)g64(in); WaitForThreadpoolIoCallbacks(io, g32(in)); break; }
    case OP_TP_CREATE_TIMER: {
        PVOID ctx = (PVOID)(uintptr_t)g64(in); PTP_CALLBACK_ENVIRON env = (PTP_CALLBACK_ENVIRON)(uintptr_t)g64(in);
        PTP_TIMER t = CreateThreadpoolTimer(timer_cb, ctx, env); ret = (int64_t)(uintptr_t)t; err = t ? 0 : GetLastError(); break;
    }
    case OP_TP_SET_TIMER: {
        PTP_TIMER t = (PTP_TIMER)(uintptr_t)g64(in); uint32_t has = g32(in); uint64_t due = g64(in); uint32_t period = g32(in), window = g32(in);
        FILETIME ft; SetThreadpoolTimer(t, filetime(has, due, &ft), period, window); break;
    }
    case OP_TP_IS_TIMER_SET: ret = IsThreadpoolTimerSet((PTP_TIMER)(uintptr_t)g64(in)); break;
    case OP_TP_WAIT_TIMER: { PTP_TIMER t = (PTP_TIMER)(uintptr_t)g64(in); WaitForThreadpoolTimerCallbacks(t, g32(in)); break; }
    case OP_TP_CLOSE_TIMER: CloseThreadpoolTimer((PTP_TIMER)(uintptr_t)g64(in)); break;
    case OP_TP_CREATE_WAIT: {
        PVOID ctx = (PVOID)(uintptr_t)g64(in); PTP_CALLBACK_ENVIRON env = (PTP_CALLBACK_ENVIRON)(uintptr_t)g64(in);
        PTP_WAIT w = CreateThreadpoolWait(wait_cb, ctx, env); ret = (int64_t)(uintptr_t)w; err = w ? 0 : GetLastError(); break;
    }
    case OP_TP_SET_WAIT: {
        PTP_WAIT w = (PTP_WAIT)(uintptr_t)g64(in); HANDLE h = (HANDLE)(uintptr_t)g64(in); uint32_t has = g32(in); uint64_t t = g64(in);
        FILETIME ft; SetThreadpoolWait(w, h, filetime(has, t, &ft)); break;
    }
    case OP_TP_WAIT_WAIT: { PTP_WAIT w = (PTP_WAIT)(uintptr_t)g64(in); WaitForThreadpoolWaitCallbacks(w, g32(in)); break; }
    case OP_TP_CLOSE_WAIT: CloseThreadpoolWait((PTP_WAIT)(uintptr_t)g64(in)); break;
    case OP_TP_CLOSE_MEMBERS: {
        PTP_CLEANUP_GROUP g = (PTP_CLEANUP_GROUP)(uintptr_t)g64(in); uint32_t cancel = g32(in);
        wr cancelled = {0};
        TlsSetValue(tls_cancelled, &cancelled);
        CloseThreadpoolCleanupGroupMembers(g, cancel, NULL);
        TlsSetValue(tls_cancelled, NULL);
        ret = cancelled.n / 8;
        pbytes(out, cancelled.b, cancelled.n);
        free(cancelled.b);
        break;
    }
    case OP_TP_CLOSE_GROUP: CloseThreadpoolCleanupGroup((PTP_CLEANUP_GROUP)(uintptr_t)g64(in)); break;
    case OP_TP_CLOSE_POOL: CloseThreadpool((PTP_POOL)(uintptr_t)g64(in)); break;
    case OP_TP_MAY_RUN_LONG: ret = CallbackMayRunLong((PTP_CALLBACK_INSTANCE)(uintptr_t)g64(in)); break;
    /* --- winsock */
    case OP_WS_SOCKET: {
        SOCKET s = WSASocketW(g32(in), SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
        ret = s == INVALID_SOCKET ? -1 : (int64_t)s; err = s == INVALID_SOCKET ? WSAGetLastError() : 0; break;
    }
    case OP_WS_SETSOCKOPT_INT: {
        SOCKET s = g64(in); int level = g32(in), name = g32(in); int v = g32(in);
        ret = ws_ret(setsockopt(s, level, name, (char *)&v, sizeof v), &err); break;
    }
    case OP_WS_SET_LINGER: {
        SOCKET s = g64(in); struct linger l; l.l_onoff = (u_short)g32(in); l.l_linger = (u_short)g32(in);
        ret = ws_ret(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof l), &err); break;
    }
    case OP_WS_UPDATE_ACCEPT: {
        SOCKET s = g64(in); SOCKET ls = g64(in);
        ret = ws_ret(setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&ls, sizeof ls), &err); break;
    }
    case OP_WS_UPDATE_CONNECT: ret = ws_ret(setsockopt(g64(in), SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), &err); break;
    case OP_WS_SO_ERROR: {
        SOCKET s = g64(in); int v = 0, n = sizeof v;
        int rc = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&v, &n); ret = rc ? -1 : v; err = rc ? WSAGetLastError() : 0; break;
    }
    case OP_WS_BIND: {
        SOCKET s = g64(in); uint32_t n = g32(in); const uint8_t *p = gbytes(in, n); SOCKADDR_STORAGE sa;
        if (!p) break;
        fill_sockaddr(&sa, p, n); ret = ws_ret(bind(s, (struct sockaddr *)&sa, (int)n), &err); break;
    }
    case OP_WS_LISTEN: { SOCKET s = g64(in); ret = ws_ret(listen(s, (int)g32(in)), &err); break; }
    case OP_WS_SOCKNAME: case OP_WS_PEERNAME: {
        SOCKET s = g64(in); SOCKADDR_STORAGE sa; int n = sizeof sa; memset(&sa, 0, sizeof sa);
        int rc = op == OP_WS_SOCKNAME ? getsockname(s, (struct sockaddr *)&sa, &n) : getpeername(s, (struct sockaddr *)&sa, &n);
        ret = ws_ret(rc, &err);
        pbytes(out, &sa, rc ? 0 : (uint32_t)n);
        break;
    }
    case OP_WS_SHUTDOWN: { SOCKET s = g64(in); ret = ws_ret(shutdown(s, (int)g32(in)), &err); break; }
    case OP_WS_CLOSE: { SOCKET s = g64(in); skip_remove(s); ret = ws_ret(closesocket(s), &err); break; }
    case OP_WS_SKIP_ON_SUCCESS: {
        SOCKET s = g64(in);
        BOOL ok = SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE);
        if (ok) skip_add(s);
        ret = bool_ret(ok, &err); break;
    }
    case OP_WS_PROTOCOL_INFO: {
        SOCKET s = g64(in); WSAPROTOCOL_INFOW pi; int n = sizeof pi;
        int rc = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&pi, &n);
        ret = ws_ret(rc, &err);
        pbytes(out, &pi, rc ? 0 : (uint32_t)n);
        break;
    }
    case OP_WS_ACCEPTEX: {
        SOCKET ls = g64(in), as = g64(in); uint32_t rdl = g32(in); uint64_t opid = g64(in);
        if (in->bad) break;
        bop *b = bop_new(K_ACCEPT, opid, rdl + 2 * ADDR_LEN, 0); b->datalen = rdl + 2 * ADDR_LEN;
        DWORD n = 0;
        BOOL ok = pAcceptEx(ls, as, b->data, rdl, ADDR_LEN, ADDR_LEN, &n, &b->ov);
        io_outcome(out, mark, b, ls, ok, n, ok ? 0 : WSAGetLastError());
        return;
    }
    case OP_WS_ACCEPT_ADDRS: {
        uint32_t rdl = g32(in); uint32_t n = g32(in); const uint8_t *p = gbytes(in, n);
        if (!p || n < rdl + 2 * ADDR_LEN) { err = ERROR_INVALID_PARAMETER; ret = -1; break; }
        uint8_t *copy = malloc(n); memcpy(copy, p, n);
        struct sockaddr *l = NULL, *r = NULL; int ll = 0, rl = 0;
        pGetAcceptExSockaddrs(copy, rdl, ADDR_LEN, ADDR_LEN, &l, &ll, &r, &rl);
        pbytes(out, l, l ? (uint32_t)ll : 0); pbytes(out, r, r ? (uint32_t)rl : 0);
        free(copy);
        break;
    }
    case OP_WS_CONNECTEX: {
        SOCKET s = g64(in); uint32_t san = g32(in); const uint8_t *sap = gbytes(in, san);
        uint32_t dn = g32(in); const uint8_t *dp = gbytes(in, dn); uint64_t opid = g64(in);
        if (in->bad) break;
        bop *b = bop_new(K_CONNECT, opid, dn, 0); memcpy(b->data, dp, dn); fill_sockaddr(&b->sa, sap, san);
        DWORD sent = 0;
        BOOL ok = pConnectEx(s, (struct sockaddr *)&b->sa, (int)san, dn ? b->data : NULL, dn, &sent, &b->ov);
        io_outcome(out, mark, b, s, ok, sent, ok ? 0 : WSAGetLastError());
        return;
    }
    case OP_WS_DISCONNECTEX: {
        SOCKET s = g64(in); uint32_t flags = g32(in); uint64_t opid = g64(in);
        int raw = (flags & RAW_CALL) != 0; /* tests: Wine's own behaviour, without the shims below */
        flags &= ~RAW_CALL;
        if (in->bad) break;
        bop *b = bop_new(K_DISCONNECT, opid, 0, 0);
        if ((flags & TF_REUSE_SOCKET) && !raw) {
            /*
             * Wine deviation: TF_REUSE_SOCKET is not implemented (a "disconnected" socket keeps its shut-down send
             * side, so sends on it after AcceptEx reuse fail with WSAESHUTDOWN). Shim: the graceful shutdown
             * DisconnectEx would start, then a synchronous WSAEOPNOTSUPP, so the caller closes the socket instead of
             * reusing it (no packet is queued for a synchronous failure).
             */
            int rc = shutdown(s, SD_SEND);
            io_outcome_ex(out, mark, b, s, 0, 0, rc ? WSAGetLastError() : WSAEOPNOTSUPP, 4);
            return;
        }
        BOOL ok = pDisconnectEx(s, &b->ov, flags, 0);
        int e = ok ? 0 : WSAGetLastError();
        /*
         * Wine deviation: DisconnectEx is a shutdown(SD_SEND) ioctl that completes at once, yet it returns
         * ERROR_IO_PENDING; on a skip-on-success handle that synchronous success queues no packet, so the
         * "pending" operation never completes. Shim: the OVERLAPPED says it is done (Internal is no longer
         * STATUS_PENDING), so report the synchronous success Windows would have reported.
         */
        if (!ok && !raw && e == WSA_IO_PENDING && b->ov.Internal != STATUS_PENDING && skip_has(s)) {
            io_outcome_ex(out, mark, b, s, (LONG)b->ov.Internal == 0, 0, (LONG)b->ov.Internal == 0 ? 0 : ERROR_GEN_FAILURE, 2);
            return;
        }
        io_outcome(out, mark, b, s, ok, 0, e);
        return;
    }
    case OP_WS_TRANSMITFILE: {
        SOCKET s = g64(in); HANDLE f = (HANDLE)(uintptr_t)g64(in); uint32_t n = g32(in), per = g32(in), flags = g32(in);
        uint64_t offset = g64(in); uint32_t has_tfb = g32(in);
        uint32_t hn = g32(in); const uint8_t *hp = gbytes(in, hn); uint32_t tn = g32(in); const uint8_t *tp = gbytes(in, tn);
        uint64_t opid = g64(in);
        if (in->bad) break;
        bop *b = bop_new(K_TRANSMIT, opid, hn + tn, 0);
        memcpy(b->data, hp, hn); memcpy(b->data + hn, tp, tn);
        b->tfb.Head = hn ? b->data : NULL; b->tfb.HeadLength = hn; b->tfb.Tail = tn ? b->data + hn : NULL; b->tfb.TailLength = tn;
        b->ov.Offset = (DWORD)offset; b->ov.OffsetHigh = (DWORD)(offset >> 32);
        BOOL ok = pTransmitFile(s, f, n, per, &b->ov, has_tfb ? &b->tfb : NULL, flags);
        io_outcome(out, mark, b, s, ok, ok ? n + hn + tn : 0, ok ? 0 : WSAGetLastError());
        return;
    }
    case OP_WS_RECV: case OP_WS_SEND: {
        SOCKET s = g64(in); DWORD flags = g32(in); uint32_t nb = g32(in); uint64_t opid = g64(in);
        if (in->bad || nb == 0 || nb > 1024) { err = WSAEINVAL; ret = -1; break; }
        uint32_t *lens = calloc(nb, 4); uint64_t total = 0;
        for (uint32_t i = 0; i < nb; i++) { lens[i] = g32(in); total += lens[i]; }
        const uint8_t *src = op == OP_WS_SEND ? gbytes(in, (uint32_t)total) : NULL;
        if (in->bad || total > (256u << 20)) { free(lens); err = WSAEINVAL; ret = -1; break; }
        bop *b = bop_new(op == OP_WS_RECV ? K_RECV : K_SEND, opid, (uint32_t)total, nb);
        uint32_t at = 0;
        for (uint32_t i = 0; i < nb; i++) { b->bufs[i].len = lens[i]; b->bufs[i].buf = (char *)b->data + at; at += lens[i]; }
        free(lens);
        DWORD n = 0; int rc;
        if (op == OP_WS_RECV) { b->datalen = (uint32_t)total; rc = WSARecv(s, b->bufs, nb, &n, &flags, &b->ov, NULL); }
        else { memcpy(b->data, src, total); rc = WSASend(s, b->bufs, nb, &n, flags, &b->ov, NULL); }
        io_outcome(out, mark, b, s, rc == 0, n, rc ? WSAGetLastError() : 0);
        return;
    }
    case OP_WS_CANCEL_IO: {
        HANDLE h = (HANDLE)(uintptr_t)g64(in); LPOVERLAPPED ov = (LPOVERLAPPED)(uintptr_t)g64(in);
        ret = bool_ret(CancelIoEx(h, ov), &err); break;
    }
    case OP_TEST_HOLD: Sleep(g32(in)); ret = GetCurrentThreadId(); break;
    default: err = ERROR_INVALID_FUNCTION; ret = -1; break;
    }
    if (in->bad && !err) { err = ERROR_INVALID_PARAMETER; ret = -1; }
    memcpy(out->b + mark, &ret, 8);
    memcpy(out->b + mark + 8, &err, 4);
}

/* Serves calls on one connection; until_return: stop at RETURN (a pool thread's callback), else at EOF. */
static void serve(SOCKET s, int until_return) {
    uint8_t *buf = NULL; uint32_t cap = 0;
    wr out = {0};
    for (;;) {
        int n = read_frame(s, &buf, &cap);
        if (n < 0) {
            if (until_return) { fprintf(stderr, "pxj-wine-bridge: JVM gone during a callback\n"); ExitProcess(3); }
            break;
        }
        rd in = { buf, buf + n, 0 };
        uint32_t op = g32(&in);
        if (op == OP_RETURN) { if (until_return) break; continue; }
        wbegin(&out);
        call(op, &in, &out);
        if (send_frame(s, &out)) {
            if (until_return) ExitProcess(3);
            break;
        }
    }
    free(buf); free(out.b);
}

static DWORD WINAPI request_thread(LPVOID arg) {
    SOCKET s = (SOCKET)(uintptr_t)arg;
    serve(s, 0);
    closesocket(s);
    return 0;
}

static DWORD WINAPI stdin_watch(LPVOID arg) {
    char b[256]; DWORD n;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    while (ReadFile(in, b, sizeof b, &n, NULL) && n > 0) { }
    ExitProcess(0); /* the JVM is gone */
    return 0;
}

static void CALLBACK anchor_cb(PTP_CALLBACK_INSTANCE inst, PVOID ctx, PVOID ov, ULONG result, ULONG_PTR bytes, PTP_IO io) { }

static void *ext(SOCKET s, GUID g) {
    void *p = NULL; DWORD n;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &p, sizeof p, &n, NULL, NULL)) return NULL;
    return p;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: pxj-wine-bridge JVM_PORT TOKEN\n"); return 2; }
    jvm_port = (uint16_t)atoi(argv[1]);
    snprintf(token, sizeof token, "%s", argv[2]);
    WSADATA d;
    if (WSAStartup(MAKEWORD(2, 2), &d)) { fprintf(stderr, "pxj-wine-bridge: WSAStartup failed\n"); return 3; }
    fls_conn = FlsAlloc(fls_done);
    tls_cancelled = TlsAlloc();
    SOCKET probe = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    pAcceptEx = ext(probe, (GUID)WSAID_ACCEPTEX);
    pConnectEx = ext(probe, (GUID)WSAID_CONNECTEX);
    pDisconnectEx = ext(probe, (GUID)WSAID_DISCONNECTEX);
    pTransmitFile = ext(probe, (GUID)WSAID_TRANSMITFILE);
    pGetAcceptExSockaddrs = ext(probe, (GUID)WSAID_GETACCEPTEXSOCKADDRS);
    /*
     * Wine deviation: CloseThreadpoolCleanupGroupMembers prepares every member for shutdown again, including a
     * TP_IO already closed with CloseThreadpoolIo, and that second pass asserts "ioqueue.objcount" (threadpool.c)
     * when no other TP_IO exists in the process. Shim: one TP_IO kept open for the helper's lifetime, so the
     * count never reaches 0 (the second pass is otherwise a no-op for an object already shut down).
     */
    int anchor = !(argc > 3 && strcmp(argv[3], "--no-anchor") == 0); /* tests that show the deviation */
    if (anchor && !CreateThreadpoolIo((HANDLE)probe, anchor_cb, NULL, NULL)) {
        fprintf(stderr, "pxj-wine-bridge: cannot create the anchor TP_IO (error %lu)\n", GetLastError()); return 3;
    }
    if (!pAcceptEx || !pConnectEx || !pDisconnectEx || !pTransmitFile || !pGetAcceptExSockaddrs) {
        fprintf(stderr, "pxj-wine-bridge: extension functions missing\n"); return 3;
    }
    SOCKET ls = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET; a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int al = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 64) || getsockname(ls, (struct sockaddr *)&a, &al)) {
        fprintf(stderr, "pxj-wine-bridge: cannot listen (error %d)\n", WSAGetLastError()); return 3;
    }
    CloseHandle(CreateThread(NULL, 0, stdin_watch, NULL, 0, NULL));
    printf("PXJ-BRIDGE %u\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        SOCKET c = accept(ls, NULL, NULL);
        if (c == INVALID_SOCKET) continue;
        BOOL on = TRUE; setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (char *)&on, sizeof on);
        /* The first frame authenticates: the token the JVM passed on the command line. */
        uint8_t *buf = NULL; uint32_t cap = 0;
        int n = read_frame(c, &buf, &cap);
        rd in = { buf, buf + (n < 0 ? 0 : n), 0 };
        uint32_t tn = g32(&in); const uint8_t *tp = gbytes(&in, tn);
        int ok = n >= 0 && tp && tn == strlen(token) && memcmp(tp, token, tn) == 0;
        free(buf);
        if (!ok) { closesocket(c); continue; }
        HANDLE t = CreateThread(NULL, 256 * 1024, request_thread, (LPVOID)(uintptr_t)c, 0, NULL);
        if (t) CloseHandle(t); else closesocket(c);
    }
}
