// SPDX-License-Identifier: MIT
#include "transport/tls_relay.hpp"

#include "transport/io.hpp"

#include <boost/asio/ssl.hpp>
#include <mutex>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <stdexcept>
#include <thread>

namespace wsh::transport {
namespace ssl = asio::ssl;
using tls_stream = ssl::stream<tcp::socket>;

namespace {

// Per direction, the most the relay holds: a slow reader slows the writer (backpressure).
constexpr std::size_t relay_buffer_size = 64 * 1024;
constexpr millis tls_handshake_timeout{10000};
constexpr millis connect_timeout{10000};
// After our close_notify and FIN, how long the peer has to end its side before the relay closes.
constexpr millis close_notify_wait{10000};

bool is_ip_literal(const std::string& host)
{
    error_code ec;
    (void)asio::ip::make_address(host, ec);
    return !ec;
}

void set_no_delay(tcp::socket& socket)
{
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
}

// RST instead of FIN: what an abrupt end on one side becomes on the other.
void abort_socket(tcp::socket& socket)
{
    if (!socket.is_open()) return;
    error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

// The peer ended its sending side: close_notify (eof) or a TCP FIN without it (truncated).
bool is_orderly_end(const error_code& ec)
{
    return ec == asio::error::eof || ec == ssl::error::stream_truncated;
}

std::string describe_tls_failure(tls_stream& tls, const error_code& ec, bool timed_out)
{
    if (timed_out) return "no TLS handshake within " + std::to_string(tls_handshake_timeout.count() / 1000) + " s";
    auto verify = SSL_get_verify_result(tls.native_handle());
    if (verify != X509_V_OK)
        return std::string("certificate not accepted: ") + X509_verify_cert_error_string(verify) +
               " (--cacert FILE to trust it, --insecure to skip verification)";
    return ec.message();
}

// One relayed connection: `plain_` towards the engine (or the plain backend), `tls_` towards the
// TLS peer. Both pumps run on one strand.
class link : public std::enable_shared_from_this<link> {
public:
    link(tcp::socket plain, tcp::socket tls_socket, ssl::context& context)
        : plain_(std::move(plain)), tls_(std::move(tls_socket), context), close_wait_(plain_.get_executor()),
          close_notify_sent_(plain_.get_executor())
    {
        close_notify_sent_.expires_at(asio::steady_timer::time_point::max());
    }

    tls_stream& tls() { return tls_; }
    tcp::socket& plain() { return plain_; }

    void start()
    {
        set_no_delay(plain_);
        set_no_delay(tls_.next_layer());
        auto ex = plain_.get_executor();
        asio::co_spawn(ex, [self = shared_from_this()] { return self->plain_to_tls(); }, asio::detached);
        asio::co_spawn(ex, [self = shared_from_this()] { return self->tls_to_plain(); }, asio::detached);
    }

    void abort()
    {
        closed_ = true;
        close_wait_.cancel();
        close_notify_sent_.cancel();
        abort_socket(plain_);
        abort_socket(tls_.next_layer());
    }

private:
    awaitable<void> plain_to_tls()
    {
        std::vector<std::uint8_t> buffer(relay_buffer_size);
        for (;;) {
            error_code ec;
            auto n = co_await plain_.async_read_some(asio::buffer(buffer), nothrow(ec));
            if (closed_) co_return;
            if (ec == asio::error::eof) co_return co_await close_tls_send();
            if (ec) co_return abort();
            co_await asio::async_write(tls_, asio::buffer(buffer.data(), n), nothrow(ec));
            if (closed_) co_return;
            if (ec) co_return write_failed();
        }
    }

    awaitable<void> tls_to_plain()
    {
        std::vector<std::uint8_t> buffer(relay_buffer_size);
        for (;;) {
            error_code ec;
            auto n = co_await tls_.async_read_some(asio::buffer(buffer), nothrow(ec));
            if (closed_) co_return;
            if (n > 0) {
                error_code wec;
                co_await asio::async_write(plain_, asio::buffer(buffer.data(), n), nothrow(wec));
                if (closed_) co_return;
                if (wec) co_return write_failed();
            }
            if (ec == asio::error::eof && !co_await is_peer_close_notify()) continue;
            if (is_orderly_end(ec)) {
                error_code ignored;
                plain_.shutdown(tcp::socket::shutdown_send, ignored);
                co_return direction_done();
            }
            if (ec) co_return abort();
        }
    }

    // The engine's FIN: close_notify at once (RFC 8446 §6.1); asio's shutdown then waits for the
    // peer's close_notify or EOF, bounded, before the TCP FIN. The other pump keeps reading.
    awaitable<void> close_tls_send()
    {
        close_wait_.expires_after(close_notify_wait);
        close_wait_.async_wait([self = shared_from_this()](error_code e) {
            if (!e && !self->closed_) self->finish();
        });
        error_code ec;
        co_await tls_.async_shutdown(nothrow(ec));
        if (closed_) co_return;
        error_code ignored;
        tls_.next_layer().shutdown(tcp::socket::shutdown_send, ignored);
        direction_done();
    }

    // After an eof from the TLS side: did the peer really send close_notify?
    awaitable<bool> is_peer_close_notify()
    {
        if (sending_close_notify_) {
            error_code ignored;
            co_await close_notify_sent_.async_wait(nothrow(ignored));
        }
        co_return (SSL_get_shutdown(tls_.native_handle()) & SSL_RECEIVED_SHUTDOWN) != 0;
    }

    void direction_done()
    {
        if (++ended_ == 2) write_failed_ ? abort() : finish();
    }

    // A write into a side that reset: what that side sent before its reset may still wait to be
    // read, so the other pump delivers it and then passes the reset on, as TCP itself would. If
    // that pump has ended already, or does not end within a bound, both sides are reset now.
    void write_failed()
    {
        write_failed_ = true;
        if (++ended_ == 2) return abort();
        close_wait_.expires_after(close_notify_wait);
        close_wait_.async_wait([self = shared_from_this()](error_code e) {
            if (!e && !self->closed_) self->abort();
        });
    }

    void finish()
    {
        closed_ = true;
        close_wait_.cancel();
        close_notify_sent_.cancel();
        error_code ignored;
        plain_.close(ignored);
        tls_.next_layer().close(ignored);
    }

    tcp::socket plain_;
    tls_stream tls_;
    asio::steady_timer close_wait_;
    asio::steady_timer close_notify_sent_;  // wakes a reader that saw a false EOF
    bool sending_close_notify_ = false;
    bool write_failed_ = false;
    int ended_ = 0;
    bool closed_ = false;
};

// Connects `tls` to host:port and runs the client handshake: SNI, then verification unless
// `insecure` (OpenSSL's own host name / IP address check, so failures name themselves).
awaitable<bool> open_client_tls(tls_stream& tls, const ws_url& target, const tls_client_options& options,
                                std::string& error)
{
    auto ec = co_await connect(tls.next_layer(), target.host, target.port, connect_timeout);
    if (ec) {
        error = "cannot connect to " + target.host + ":" + std::to_string(target.port) + ": " + ec.message();
        co_return false;
    }
    auto* handle = tls.native_handle();
    bool ip = is_ip_literal(target.host);
    if (!ip) SSL_set_tlsext_host_name(handle, target.host.c_str());  // RFC 6066 §3: no IP literals
    if (options.insecure) {
        tls.set_verify_mode(ssl::verify_none);
    } else {
        tls.set_verify_mode(ssl::verify_peer);
        auto* param = SSL_get0_param(handle);
        if (ip) X509_VERIFY_PARAM_set1_ip_asc(param, target.host.c_str());
        else SSL_set1_host(handle, target.host.c_str());
    }
    socket_deadline guard(tls.next_layer(), tls_handshake_timeout);
    co_await tls.async_handshake(ssl::stream_base::client, nothrow(ec));
    if (ec) {
        error = "TLS handshake with " + target.host + ":" + std::to_string(target.port) +
                " failed: " + describe_tls_failure(tls, ec, guard.expired());
        co_return false;
    }
    co_return true;
}

ssl::context make_client_context(const tls_client_options& options)
{
    ssl::context context(ssl::context::tls_client);
    try {
        if (!options.cacert.empty()) context.load_verify_file(options.cacert);
        else context.set_default_verify_paths();
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot load --cacert '" + options.cacert + "': " + e.code().message());
    }
    return context;
}

ssl::context make_server_context(const tls_server_options& options)
{
    ssl::context context(ssl::context::tls_server);
    try {
        context.use_certificate_chain_file(options.cert);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot load --tls-cert '" + options.cert + "': " + e.code().message());
    }
    try {
        context.use_private_key_file(options.key, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot load --tls-key '" + options.key + "': " + e.code().message());
    }
    if (SSL_CTX_check_private_key(context.native_handle()) != 1)
        throw std::runtime_error("--tls-key '" + options.key + "' does not match --tls-cert '" + options.cert + "'");
    return context;
}

// The relay's own threads: two, so TLS work for one connection does not stall another.
struct relay_threads {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
    std::vector<std::thread> threads;

    void run()
    {
        if (!threads.empty()) return;
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
    }
    void stop()
    {
        work.reset();
        io.stop();
        for (auto& t : threads) t.join();
        threads.clear();
    }
};

tcp::acceptor bind_acceptor(asio::io_context& io, const std::string& host, std::uint16_t port)
{
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) throw std::runtime_error("bad listen address '" + host + "': " + ec.message());
    tcp::endpoint endpoint(address, port);
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    return acceptor;
}

}  // namespace

// ---- client side (wss:// targets) ------------------------------------------------------------

struct tls_client_relay::impl {
    ws_url target;
    tls_client_options options;
    ssl::context context;
    relay_threads threads;
    tcp::acceptor acceptor{threads.io};

    impl(const ws_url& t, const tls_client_options& o) : target(t), options(o), context(make_client_context(o)) {}

    awaitable<void> accept_loop()
    {
        for (;;) {
            auto strand = asio::make_strand(threads.io);
            error_code ec;
            auto plain = co_await acceptor.async_accept(strand, nothrow(ec));
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) continue;
            auto l = std::make_shared<link>(std::move(plain), tcp::socket(strand), context);
            asio::co_spawn(strand, open(l), asio::detached);
        }
    }

    awaitable<void> open(std::shared_ptr<link> l)
    {
        std::string error;
        // A target that cannot be reached or verified: the engine sees a reset connection.
        if (!co_await open_client_tls(l->tls(), target, options, error)) co_return l->abort();
        l->start();
    }
};

tls_client_relay::tls_client_relay(const ws_url& target, const tls_client_options& options)
    : impl_(std::make_unique<impl>(target, options))
{
    impl_->acceptor = bind_acceptor(impl_->threads.io, "127.0.0.1", 0);
    asio::co_spawn(impl_->threads.io, impl_->accept_loop(), asio::detached);
    impl_->threads.run();
}

tls_client_relay::~tls_client_relay() { impl_->threads.stop(); }

std::uint16_t tls_client_relay::port() const { return impl_->acceptor.local_endpoint().port(); }

bool tls_client_relay::probe(std::chrono::milliseconds timeout, std::string& error)
{
    asio::io_context io;
    tls_stream tls(io, impl_->context);
    bool ok = false;
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            ok = co_await open_client_tls(tls, impl_->target, impl_->options, error);
            if (!ok) co_return;
            socket_deadline guard(tls.next_layer(), timeout);
            error_code ignored;
            co_await tls.async_shutdown(nothrow(ignored));
        },
        asio::detached);
    io.run();
    return ok;
}

std::unique_ptr<tls_client_relay> route_through_tls(ws_url& url, const tls_client_options& options)
{
    if (!url.secure) return nullptr;
    auto relay = std::make_unique<tls_client_relay>(url, options);
    url.relay_host = "127.0.0.1";
    url.relay_port = relay->port();
    return relay;
}

// ---- server side (test-client, serve) --------------------------------------------------------

struct tls_server_relay::impl {
    ssl::context context;
    relay_threads threads;
    tcp::acceptor acceptor{threads.io};
    std::uint16_t backend = 0;
    std::function<void(const std::string&)> new_server_name;
    mutable std::mutex lock;
    std::vector<std::string> names;

    explicit impl(const tls_server_options& o) : context(make_server_context(o)) {}

    awaitable<void> accept_loop()
    {
        for (;;) {
            auto strand = asio::make_strand(threads.io);
            error_code ec;
            auto socket = co_await acceptor.async_accept(strand, nothrow(ec));
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) continue;
            auto l = std::make_shared<link>(tcp::socket(strand), std::move(socket), context);
            asio::co_spawn(strand, open(l), asio::detached);
        }
    }

    awaitable<void> open(std::shared_ptr<link> l)
    {
        error_code ec;
        {
            socket_deadline guard(l->tls().next_layer(), tls_handshake_timeout);
            co_await l->tls().async_handshake(ssl::stream_base::server, nothrow(ec));
        }
        if (ec) co_return l->abort();
        if (const char* name = SSL_get_servername(l->tls().native_handle(), TLSEXT_NAMETYPE_host_name))
            record(name);
        if (co_await connect(l->plain(), "127.0.0.1", backend, connect_timeout)) co_return l->abort();
        l->start();
    }

    void record(const std::string& name)
    {
        {
            std::lock_guard guard(lock);
            if (std::find(names.begin(), names.end(), name) != names.end()) return;
            names.push_back(name);
        }
        if (new_server_name) new_server_name(name);
    }
};

tls_server_relay::tls_server_relay(const std::string& host, std::uint16_t port, const tls_server_options& options)
    : impl_(std::make_unique<impl>(options))
{
    impl_->acceptor = bind_acceptor(impl_->threads.io, host, port);
}

tls_server_relay::~tls_server_relay() { impl_->threads.stop(); }

std::uint16_t tls_server_relay::port() const { return impl_->acceptor.local_endpoint().port(); }

void tls_server_relay::start(std::uint16_t backend_port, std::function<void(const std::string&)> new_server_name)
{
    impl_->backend = backend_port;
    impl_->new_server_name = std::move(new_server_name);
    asio::co_spawn(impl_->threads.io, impl_->accept_loop(), asio::detached);
    impl_->threads.run();
}

std::vector<std::string> tls_server_relay::server_names() const
{
    std::lock_guard guard(impl_->lock);
    return impl_->names;
}

}  // namespace wsh::transport
