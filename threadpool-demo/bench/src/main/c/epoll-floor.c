/*
 * epoll-floor: the least a readiness-based server can do per message on this kernel, as the benchmark's floor.
 *
 * One thread, one level-triggered epoll set, non-blocking sockets. Per readiness event: one read(); in HTTP mode
 * every complete request head in it ("\r\n\r\n"; pipelined requests included) gets a fixed response (/json the JSON
 * body, anything else "Hello, World!"), all of them in one write(); in echo mode the bytes read are written back in
 * one write(). A short write keeps the rest and waits for EPOLLOUT before reading again. HTTP/1.0 without
 * "keep-alive" and "Connection: close" close the connection after the response. No routing, no parsing beyond that:
 * this is a yardstick, not a server.
 *
 *   cc -O2 -o epoll-floor epoll-floor.c
 *   epoll-floor [--http-port P] [--echo-port Q] [--host 127.0.0.1]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_SIZE 65536
#define HEAD_MAX 4096
#define MAX_EVENTS 512

enum kind { LISTEN_HTTP, LISTEN_ECHO, CONN_HTTP, CONN_ECHO };

struct conn {
    enum kind kind;
    int matched;         /* bytes of "\r\n\r\n" matched at the end of what was scanned */
    int head_len;        /* bytes of an incomplete request head carried over to the next read */
    char *head;          /* HEAD_MAX bytes, allocated on first need */
    char *pending;       /* unwritten output after a short write */
    size_t pending_len;
    size_t pending_off;
    int close_after;     /* close once pending output is written */
};

static struct conn **conns;
static int conns_cap;
static int ep;
static char in[READ_SIZE];
static char *out;
static size_t out_cap;
static char plain[256], json[256];
static int plain_len, json_len;
static time_t date_at;

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* The two responses, rebuilt when the second changes (Date is required by HTTP/1.1 and every other server sends it). */
static void responses(time_t now) {
    char date[64];
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    plain_len = snprintf(plain, sizeof plain, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
                         "Server: epoll-floor\r\nDate: %s\r\n\r\nHello, World!", date);
    json_len = snprintf(json, sizeof json, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\n"
                        "Server: epoll-floor\r\nDate: %s\r\n\r\n{\"message\":\"Hello, World!\"}", date);
    date_at = now;
}

static struct conn *track(int fd, enum kind kind) {
    if (fd >= conns_cap) {
        int cap = conns_cap ? conns_cap : 1024;
        while (cap <= fd) { cap *= 2; }
        conns = realloc(conns, cap * sizeof *conns);
        if (!conns) { die("realloc"); }
        memset(conns + conns_cap, 0, (cap - conns_cap) * sizeof *conns);
        conns_cap = cap;
    }
    if (!conns[fd]) {
        conns[fd] = malloc(sizeof(struct conn));
        if (!conns[fd]) { die("malloc"); }
        conns[fd]->head = NULL;
    }
    struct conn *c = conns[fd];
    char *head = c->head;
    memset(c, 0, sizeof *c);
    c->head = head; /* kept for the next connection on this descriptor */
    c->kind = kind;
    return c;
}

static void drop(int fd) {
    struct conn *c = conns[fd];
    free(c->pending);
    c->pending = NULL;
    close(fd); /* also leaves the epoll set */
}

static int listen_on(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) { die("socket"); }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "epoll-floor: bad --host %s (an IPv4 address)\n", host);
        exit(2);
    }
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { die("bind"); }
    if (listen(fd, 4096) < 0) { die("listen"); }
    return fd;
}

static void want(int fd, unsigned events, int op) {
    struct epoll_event e = {.events = events, .data.fd = fd};
    if (epoll_ctl(ep, op, fd, &e) < 0) { die("epoll_ctl"); }
}

static void accept_all(int lfd, enum kind kind) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) { continue; }
            return; /* EAGAIN, or out of descriptors: the next readiness retries */
        }
        track(fd, kind);
        want(fd, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD);
    }
}

/* Case-insensitive search of needle in [s, s + n). */
static int contains(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(s + i, needle, k) == 0) { return 1; }
    }
    return 0;
}

static void reserve(size_t n) {
    if (n <= out_cap) { return; }
    while (out_cap < n) { out_cap *= 2; }
    out = realloc(out, out_cap);
    if (!out) { die("realloc"); }
}

/* Appends the response to the request head [s, s + n) (it ends with "\r\n\r\n"); returns 1 to close after it. */
static int answer(const char *s, size_t n, size_t *len) {
    int is_json = n >= 10 && memcmp(s, "GET /json ", 10) == 0;
    reserve(*len + 256);
    memcpy(out + *len, is_json ? json : plain, is_json ? json_len : plain_len);
    *len += is_json ? json_len : plain_len;
    const char *eol = memchr(s, '\r', n);
    size_t line = eol ? (size_t)(eol - s) : n;
    int http10 = line >= 8 && memcmp(s + line - 8, "HTTP/1.0", 8) == 0;
    if (http10) { return !contains(s, n, "keep-alive"); }
    return contains(s, n, "\nconnection: close");
}

/* Scans [p, p + n) for request heads; the bytes of an incomplete last head are carried in c->head. */
static size_t http(struct conn *c, const char *p, size_t n, int *close_after) {
    size_t len = 0;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char b = p[i];
        if (b == ((c->matched & 1) ? '\n' : '\r')) {
            if (++c->matched < 4) { continue; }
            c->matched = 0;
            if (c->head_len > 0) { /* the head began in an earlier read */
                size_t part = i + 1 - start;
                if (c->head_len + part > HEAD_MAX) { *close_after = 1; return len; }
                memcpy(c->head + c->head_len, p + start, part);
                if (answer(c->head, c->head_len + part, &len)) { *close_after = 1; }
                c->head_len = 0;
            } else if (answer(p + start, i + 1 - start, &len)) {
                *close_after = 1;
            }
            start = i + 1;
            if (*close_after) { return len; } /* nothing is answered after a response that closes */
        } else {
            c->matched = b == '\r' ? 1 : 0;
        }
    }
    if (start < n) {
        size_t part = n - start;
        if (!c->head && !(c->head = malloc(HEAD_MAX))) { die("malloc"); }
        if (c->head_len + part > HEAD_MAX) { *close_after = 1; return len; } /* a head this long: not ours */
        memcpy(c->head + c->head_len, p + start, part);
        c->head_len += part;
    }
    return len;
}

/* Writes [buf, buf + len) once; keeps what did not fit and asks for EPOLLOUT. Returns 0 when the connection died. */
static int send_out(int fd, struct conn *c, const char *buf, size_t len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR) { return 0; }
        w = 0;
    }
    if ((size_t)w < len) {
        c->pending = malloc(len - w);
        if (!c->pending) { die("malloc"); }
        memcpy(c->pending, buf + w, len - w);
        c->pending_len = len - w;
        c->pending_off = 0;
        want(fd, EPOLLOUT | EPOLLRDHUP, EPOLL_CTL_MOD);
    }
    return 1;
}

static void readable(int fd, struct conn *c) {
    ssize_t r = read(fd, in, sizeof in);
    if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) { return; }
        drop(fd);
        return;
    }
    if (c->kind == CONN_ECHO) {
        if (!send_out(fd, c, in, (size_t)r)) { drop(fd); }
        return;
    }
    int close_after = 0;
    size_t len = http(c, in, (size_t)r, &close_after);
    if (len > 0 && !send_out(fd, c, out, len)) {
        drop(fd);
        return;
    }
    if (close_after) {
        if (c->pending) { c->close_after = 1; }
        else { drop(fd); }
    }
}

static void writable(int fd, struct conn *c) {
    ssize_t w = write(fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
    if (w < 0) {
        if (errno == EAGAIN || errno == EINTR) { return; }
        drop(fd);
        return;
    }
    c->pending_off += (size_t)w;
    if (c->pending_off < c->pending_len) { return; }
    free(c->pending);
    c->pending = NULL;
    if (c->close_after) {
        drop(fd);
        return;
    }
    want(fd, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_MOD);
}

static int port_arg(const char *opt, const char *v) {
    char *end;
    long p = v ? strtol(v, &end, 10) : -1;
    if (!v || *end || p < 1 || p > 65535) {
        fprintf(stderr, "epoll-floor: %s needs a port number 1-65535, got '%s'\n", opt, v ? v : "");
        exit(2);
    }
    return (int)p;
}

int main(int argc, char **argv) {
    int http_port = 0, echo_port = 0;
    const char *host = "127.0.0.1";
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--http-port") == 0) {
            http_port = port_arg(argv[i], v);
            i++;
        } else if (strcmp(argv[i], "--echo-port") == 0) {
            echo_port = port_arg(argv[i], v);
            i++;
        } else if (strcmp(argv[i], "--host") == 0 && v) {
            host = v;
            i++;
        } else {
            fprintf(stderr, "epoll-floor: unknown option '%s'\n"
                    "usage: epoll-floor [--http-port P] [--echo-port Q] [--host 127.0.0.1]\n", argv[i]);
            return 2;
        }
    }
    if (!http_port && !echo_port) {
        fprintf(stderr, "usage: epoll-floor [--http-port P] [--echo-port Q] [--host 127.0.0.1] (at least one port)\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    out_cap = 1 << 20;
    out = malloc(out_cap);
    if (!out) { die("malloc"); }
    responses(time(NULL));
    ep = epoll_create1(0);
    if (ep < 0) { die("epoll_create1"); }
    if (http_port) {
        int fd = listen_on(host, http_port);
        track(fd, LISTEN_HTTP);
        want(fd, EPOLLIN, EPOLL_CTL_ADD);
    }
    if (echo_port) {
        int fd = listen_on(host, echo_port);
        track(fd, LISTEN_ECHO);
        want(fd, EPOLLIN, EPOLL_CTL_ADD);
    }
    printf("epoll-floor: one thread, epoll; http %s:%d, echo %s:%d (0: off)\n", host, http_port, host, echo_port);
    fflush(stdout);
    struct epoll_event ev[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, ev, MAX_EVENTS, 1000);
        if (n < 0) {
            if (errno == EINTR) { continue; }
            die("epoll_wait");
        }
        time_t now = time(NULL);
        if (now != date_at) { responses(now); }
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd;
            struct conn *c = conns[fd];
            if (c->kind == LISTEN_HTTP) { accept_all(fd, CONN_HTTP); }
            else if (c->kind == LISTEN_ECHO) { accept_all(fd, CONN_ECHO); }
            else if (c->pending) {
                if (ev[i].events & (EPOLLERR | EPOLLHUP)) { drop(fd); }
                else if (ev[i].events & EPOLLOUT) { writable(fd, c); }
            } else if (ev[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
                readable(fd, c);
            }
        }
    }
}
