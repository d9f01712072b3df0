// SPDX-License-Identifier: MIT
#include "peer/endpoint.hpp"

#include "codec/close.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"
#include "codec/message_decoder.hpp"
#include "codec/utf8.hpp"
#include "transport/buffers.hpp"
#include "transport/io.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

namespace wsh::peer {
namespace {

using namespace transport;
using codec::message_event_kind;
using bytes = std::vector<std::uint8_t>;

// leak-on-many-fragments: each continuation frame pins a block for the life of the process.
// Past the limit the process dies as it would when a container's memory limit is reached.
void leak_fragment()
{
    constexpr std::size_t block = 256 * 1024;
    constexpr std::size_t limit = 64u << 20;
    static std::mutex mutex;
    static std::vector<std::unique_ptr<char[]>> leaked;
    std::lock_guard lock(mutex);
    if (leaked.size() * block >= limit) {
        std::fputs("wsharness serve: out of memory (leak-on-many-fragments)\n", stderr);
        std::abort();
    }
    leaked.push_back(std::make_unique<char[]>(block));
    std::fill_n(leaked.back().get(), block, 'x');
}

class endpoint {
public:
    endpoint(tcp::socket socket, codec::role local_role, const peer_config& config, endpoint_mode mode,
             const std::optional<codec::deflate_agreement>& deflate)
        : socket_(std::move(socket)), role_(local_role), config_(config), mode_(mode),
          decoder_(options(local_role, config)), rng_(std::random_device{}())
    {
        if (deflate) start_deflate(*deflate);
    }

    awaitable<endpoint_result> run(bytes leftover)
    {
        std::optional<socket_deadline> limit;
        if (config_.connection_limit.count() > 0) limit.emplace(socket_, config_.connection_limit);
        if (!leftover.empty()) co_await consume(leftover);
        read_buffer buffer(256 * 1024);
        while (!done_) {
            error_code ec;
            auto n = co_await socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()), nothrow(ec));
            if (ec || n == 0) break;
            co_await consume(std::span(buffer.data(), n));
        }
        error_code ignored;
        socket_.close(ignored);
        co_return std::move(result_);
    }

private:
    static codec::message_options options(codec::role r, const peer_config& config)
    {
        codec::message_options m;
        m.frame.local_role = r;
        m.frame.ignored = info(config.injected).ignored;
        m.frame.max_frame_payload = config.max_message;
        m.max_message = config.max_message;
        return m;
    }

    bool has(fault f) const { return config_.injected == f; }

    // RFC 7692: the direction we send and the one we receive, as agreed (or as a fault
    // misreads it).
    void start_deflate(const codec::deflate_agreement& a)
    {
        const bool server = role_ == codec::role::server;
        auto tx = server ? a.server_to_client() : a.client_to_server();
        const auto rx = server ? a.client_to_server() : a.server_to_client();
        if (has(fault::deflate_ignore_context_takeover)) tx.no_context_takeover = false;
        if (has(fault::deflate_ignore_window_bits)) tx.window_bits = codec::max_window_bits;
        const std::uint64_t limit = has(fault::deflate_no_size_limit) ? UINT64_MAX : config_.max_message;
        deflater_.emplace(tx.window_bits, tx.no_context_takeover, config_.deflate_level);
        inflater_.emplace(rx.window_bits, rx.no_context_takeover, limit);
        decoder_.set_allowed_rsv(codec::rsv1);
        // An echo peer's two directions carry the same messages, so they share one history if
        // every message goes back in the form it came in (compressed or not). The peer's
        // compressed bytes then decode in our direction too, provided they reach no further
        // back than our window (RFC 7692 §7.1.2) and use history only where we may (§7.1.1).
        // Echoing them saves the compression, the larger half of 12.x/13.x for the reference
        // peer; each message is still inflated and checked. A faulty peer compresses itself.
        passthrough_ = config_.deflate_passthrough && mode_ == endpoint_mode::echo &&
                       config_.injected == fault::none && rx.window_bits <= tx.window_bits &&
                       (rx.no_context_takeover || !tx.no_context_takeover);
        if (has(fault::deflate_echo_as_received)) passthrough_ = mode_ == endpoint_mode::echo;
    }

    awaitable<void> consume(std::span<std::uint8_t> input)
    {
        while (!done_ && !hung_ && !decoder_.is_failed()) {
            auto step = decoder_.feed(input);
            input = input.subspan(step.consumed);
            const auto& e = step.event;
            if (e.kind == message_event_kind::need_more) break;
            if (e.kind == message_event_kind::frame_started && co_await on_planted_bug(e.header)) break;
            if (e.kind == message_event_kind::frame_started && !codec::is_control(e.header.opcode))
                on_data_frame(e.header);
            if (e.kind == message_event_kind::data_chunk && !skipping_ && e.compressed) {
                if (passthrough_) compressed_.insert(compressed_.end(), e.payload.begin(), e.payload.end());
                if (auto code = inflate_chunk(e.payload)) co_await fail(*code);
            } else if (e.kind == message_event_kind::data_chunk && !skipping_) {
                grow_for(message_, e.payload.size());
                message_.insert(message_.end(), e.payload.begin(), e.payload.end());
            } else if (e.kind == message_event_kind::frame_finished && e.header.fin && !skipping_) {
                if (auto code = e.compressed ? finish_inflate(e.opcode) : std::nullopt)
                    co_await fail(*code);
                else
                    co_await on_message(e.opcode, e.compressed);
            }
            else if (e.kind == message_event_kind::control_received)
                co_await on_control(e);
            else if (e.kind == message_event_kind::violation_found)
                co_await fail(codec::close_code_for(e.error));
        }
        if (finish_after_input_ && !done_) co_await finish();
    }

    // RFC 7692 §7.2.2: inflate as it arrives; the close code when the message is bad.
    std::optional<std::uint16_t> inflate_chunk(std::span<const std::uint8_t> payload)
    {
        if (!inflater_) return codec::close_code::protocol_error;
        return close_code_of(inflater_->feed(payload, message_));
    }

    std::optional<std::uint16_t> finish_inflate(std::uint8_t opcode)
    {
        if (!inflater_) return codec::close_code::protocol_error;
        if (auto code = close_code_of(inflater_->finish(message_))) return code;
        // RFC 6455 §8.1 on the inflated text (the fault skips it).
        if (opcode == to_nibble(codec::opcode::text) && !has(fault::deflate_no_utf8_after_inflate) &&
            !has(fault::no_utf8_validation) && !codec::is_valid_utf8(message_))
            return codec::close_code::invalid_frame_payload_data;
        return std::nullopt;
    }

    static std::optional<std::uint16_t> close_code_of(codec::inflate_status s)
    {
        if (s == codec::inflate_status::too_big) return codec::close_code::message_too_big;
        if (s == codec::inflate_status::corrupt) return codec::close_code::invalid_frame_payload_data;
        return std::nullopt;
    }

    // The bugs the network fuzzer must find (crash-on-rsv2, leak-on-many-fragments). True when
    // the frame ended the connection.
    awaitable<bool> on_planted_bug(const codec::frame_header& h)
    {
        if (has(fault::leak_on_many_fragments) && h.opcode == 0) leak_fragment();
        if (!has(fault::crash_on_rsv2) || h.rsv == 0) co_return false;
        if ((h.rsv & codec::rsv2) != 0) std::abort();
        co_await fail(codec::close_code::protocol_error);  // §5.2: other RSV bits still fail
        co_return true;
    }

    // A reserved data opcode is only let through by a fault: its frames are dropped. Room for
    // an uncompressed frame's payload is made at once (bounded by the message limit), so a
    // message of megabytes is not copied again and again as the buffer grows.
    void on_data_frame(const codec::frame_header& h)
    {
        if (h.opcode != 0) {
            skipping_ = !codec::is_data(h.opcode);
            message_.clear();  // a new message; its capacity is kept for the next one
            compressed_.clear();
        }
        if (skipping_ || (h.rsv & codec::rsv1) != 0 || message_.size() >= config_.max_message) return;
        grow_for(message_, static_cast<std::size_t>(std::min<std::uint64_t>(h.payload_length,
                                                                          config_.max_message - message_.size())));
    }

    // The echo is written from message_ itself (no copy); its capacity is kept for the next one.
    awaitable<void> on_message(std::uint8_t opcode, bool compressed)
    {
        bytes& data = message_;
        if (closing_ && !has(fault::echo_after_close)) {  // §5.5.1: nothing after Close
            data.clear();
            co_return;
        }
        if (mode_ == endpoint_mode::collect) {
            result_.texts.emplace_back(data.begin(), data.end());
        } else {
            if (has(fault::truncate_large_messages) && data.size() > 65535) data.resize(65535);
            if (passthrough_ && compressed)
                // The form it came in: the histories of the two directions stay equal.
                co_await send(opcode, std::exchange(compressed_, {}), codec::rsv1);
            else if (deflater_ && !passthrough_)
                co_await send_compressed(opcode, data);
            else
                co_await send(opcode, data);
        }
        data.clear();
    }

    // RFC 7692 §6.1: RSV1 on the (only) frame of the echo. The deflate-rsv1-on-continuation
    // bug splits it in two frames and marks both.
    awaitable<void> send_compressed(std::uint8_t opcode, const bytes& data)
    {
        bytes compressed;
        deflater_->compress(data, compressed);
        if (has(fault::deflate_rsv1_on_continuation) && compressed.size() >= 2) {
            const auto half = compressed.size() / 2;
            bytes first(compressed.begin(), compressed.begin() + static_cast<std::ptrdiff_t>(half));
            bytes second(compressed.begin() + static_cast<std::ptrdiff_t>(half), compressed.end());
            co_await send(opcode, first, codec::rsv1, false);
            co_await send(0, second, codec::rsv1, true);
            co_return;
        }
        co_await send(opcode, compressed, codec::rsv1);
    }

    awaitable<void> on_control(const codec::message_event& e)
    {
        bytes payload(e.payload.begin(), e.payload.end());
        if (e.opcode == to_nibble(codec::opcode::ping)) {
            if (closing_ || has(fault::no_pong)) co_return;
            if (has(fault::hang_on_fragmented_ping) && decoder_.is_in_message()) {
                hung_ = true;  // the bug: this connection stops answering
                co_return;
            }
            if (has(fault::pong_wrong_payload)) payload.push_back('!');
            co_await send(to_nibble(codec::opcode::pong), payload);  // §5.5.2
        } else if (e.opcode == to_nibble(codec::opcode::close)) {
            co_await on_close(e.close);
        } else if (codec::is_reserved_opcode(e.opcode)) {
            co_return;  // only reachable with accept-reserved-opcodes: dropped
        }
    }

    awaitable<void> on_close(const codec::close_body& body)
    {
        result_.remote_close_code = body.code.value_or(0);
        peer_close_seen_ = true;
        // The bug: a close-code check written before IANA registered 1012-1014.
        if (has(fault::reject_registered_close_codes) && body.code && *body.code >= 1012 && *body.code <= 1014) {
            co_await fail(codec::close_code::protocol_error);
            co_return;
        }
        if (has(fault::no_close_reply)) co_return;
        if (!closing_) {
            // §5.5.1: answer with a Close; echoing the code is allowed, we send 1000.
            closing_ = true;
            co_await send_close(codec::close_code::normal_closure);
        }
        // The bug: frames that arrived behind the Close are still processed (and echoed).
        if (has(fault::echo_after_close)) {
            finish_after_input_ = true;
            co_return;
        }
        co_await finish();
    }

    // §7.1.7 Fail the WebSocket Connection: send a Close with the code, then close TCP.
    awaitable<void> fail(std::uint16_t code)
    {
        if (!closing_) {
            closing_ = true;
            co_await send_close(code);
        }
        co_await finish();
    }

    // The bug of answer-while-closing: after its Close the endpoint goes on decoding what arrives
    // (a fresh decoder: the old one may have failed) for 100 ms, and once the peer's Close is in,
    // answers what follows it. (Only what follows the peer's Close: frames the peer wrote before
    // it saw our Close would arrive or not within the 100 ms depending on timing.)
    awaitable<void> answer_while_closing()
    {
        codec::message_decoder decoder(options(role_, config_));
        bool peer_closed = peer_close_seen_;
        socket_deadline guard(socket_, std::chrono::milliseconds(100));
        bytes buffer(4096), message;
        for (;;) {
            error_code ec;
            auto n = co_await socket_.async_read_some(asio::buffer(buffer), nothrow(ec));
            if (ec || n == 0) co_return;
            std::span<std::uint8_t> input(buffer.data(), n);
            while (!decoder.is_failed()) {
                auto step = decoder.feed(input);
                input = input.subspan(step.consumed);
                const auto& e = step.event;
                if (e.kind == message_event_kind::need_more) break;
                const bool close = e.kind == message_event_kind::control_received &&
                                   e.opcode == to_nibble(codec::opcode::close);
                if (!peer_closed) {
                    peer_closed = close;
                    continue;
                }
                if (e.kind == message_event_kind::data_chunk) message.insert(message.end(), e.payload.begin(), e.payload.end());
                if (e.kind == message_event_kind::frame_finished && e.header.fin && !codec::is_control(e.opcode))
                    co_await send(e.opcode, std::exchange(message, {}));
                if (e.kind == message_event_kind::control_received && e.opcode == to_nibble(codec::opcode::ping))
                    co_await send(to_nibble(codec::opcode::pong), bytes(e.payload.begin(), e.payload.end()));
                if (close) co_await send_close(codec::close_code::normal_closure);
            }
        }
    }

    // §7.1.1: the server closes TCP first; a client waits for the server to do it (bounded).
    awaitable<void> finish()
    {
        done_ = true;
        if (has(fault::answer_while_closing)) co_await answer_while_closing();
        error_code ignored;
        if (role_ == codec::role::server) socket_.shutdown(tcp::socket::shutdown_send, ignored);
        socket_deadline guard(socket_, config_.close_timeout);
        bytes sink(4096);
        for (;;) {
            error_code ec;
            auto n = co_await socket_.async_read_some(asio::buffer(sink), nothrow(ec));
            if (ec || n == 0) break;
        }
    }

    awaitable<void> send_close(std::uint16_t code)
    {
        if (has(fault::close_wrong_code)) code = codec::close_code::internal_error;
        co_await send(to_nibble(codec::opcode::close), codec::make_close_payload(code));
    }

    awaitable<void> send(std::uint8_t opcode, const bytes& payload, std::uint8_t rsv = 0, bool fin = true)
    {
        codec::frame_spec spec;
        spec.opcode = opcode;
        spec.rsv = rsv;
        spec.fin = fin;
        if (role_ == codec::role::client && !has(fault::unmasked_frames)) {
            // RFC 6455 §5.3: a fresh key for every frame (the fault reuses the RFC's example key).
            spec.mask = has(fault::fixed_mask_key) ? std::array<std::uint8_t, 4>{0x37, 0xfa, 0x21, 0x3d}
                                                   : codec::mask_key_from(rng_());
        }
        error_code ec;
        if (spec.mask) {
            auto frame = codec::encode_frame(spec, payload);
            co_await asio::async_write(socket_, asio::buffer(frame), nothrow(ec));
        } else {
            // Unmasked: the header and the payload as they are, in one gathered write.
            std::array<std::uint8_t, codec::max_header_size> header{};
            const auto n = codec::encode_header(spec, payload.size(), header);
            const std::array<asio::const_buffer, 2> parts{asio::buffer(header.data(), n), asio::buffer(payload)};
            co_await asio::async_write(socket_, parts, nothrow(ec));
        }
        if (ec) done_ = true;
    }

    tcp::socket socket_;
    codec::role role_;
    peer_config config_;
    endpoint_mode mode_;
    codec::message_decoder decoder_;
    std::mt19937 rng_;
    bytes message_;
    bool skipping_ = false;
    bool closing_ = false;
    bool done_ = false;
    bool finish_after_input_ = false;
    bool peer_close_seen_ = false;
    bool hung_ = false;  // hang-on-fragmented-ping: input is read and ignored from here on  // echo-after-close: finish once this input is processed
    endpoint_result result_;
    std::optional<codec::deflater> deflater_;
    std::optional<codec::inflater> inflater_;
    bool passthrough_ = false;  // echo compressed messages as they came (start_deflate)
    bytes compressed_;          // the compressed payload of the current message (passthrough)
};

}  // namespace

transport::awaitable<endpoint_result> run_endpoint(transport::tcp::socket socket, codec::role local_role,
                                                   const peer_config& config, endpoint_mode mode,
                                                   std::vector<std::uint8_t> leftover,
                                                   std::optional<codec::deflate_agreement> deflate)
{
    endpoint e(std::move(socket), local_role, config, mode, deflate);
    co_return co_await e.run(std::move(leftover));
}


}  // namespace wsh::peer
