// SPDX-License-Identifier: MIT
#include "suite/observer.hpp"

#include "codec/close.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"
#include "codec/message_decoder.hpp"
#include "handshake/handshake.hpp"
#include "transport/io.hpp"

#include <algorithm>
#include <deque>
#include <random>

namespace wsh::suite {
namespace {

using namespace transport;
using codec::message_event_kind;

class observer : public std::enable_shared_from_this<observer> {
public:
    observer(tcp::socket socket, const observe_options& options, observe_report& report)
        : socket_(std::move(socket)), options_(options), report_(report), decoder_(decoder_options(options)),
          wake_(socket_.get_executor()), end_(socket_.get_executor()), pace_(socket_.get_executor()),
          close_wait_(socket_.get_executor()), rng_(std::random_device{}())
    {
        wake_.expires_at(steady_clock::time_point::max());
    }

    awaitable<void> run(bytes leftover)
    {
        auto self = shared_from_this();
        start_ = steady_clock::now();
        asio::co_spawn(socket_.get_executor(), self->write_loop(), asio::detached);
        if (!options_.messages.empty()) asio::co_spawn(socket_.get_executor(), self->send_loop(), asio::detached);
        end_.expires_after(options_.duration);
        end_.async_wait([self](error_code ec) {
            if (ec) return;
            const auto& seen = self->report_.violations;
            self->close(seen.empty() ? codec::close_code::normal_closure : codec::close_code_for(seen.front().rule),
                        "the observation time is over");
        });
        if (!leftover.empty()) consume(leftover);
        co_await read_loop();
        report_.open_seconds = ms() / 1000.0;
        for (auto* t : {&wake_, &end_, &pace_, &close_wait_}) t->cancel();
    }

private:
    static codec::message_options decoder_options(const observe_options& options)
    {
        codec::message_options m;
        m.frame.local_role = codec::role::client;
        m.frame.max_frame_payload = options.max_message;
        m.max_message = options.max_message;
        return m;
    }

    double ms() const { return std::chrono::duration<double, std::milli>(steady_clock::now() - start_).count(); }

    awaitable<void> read_loop()
    {
        bytes buffer(64 * 1024);
        while (!closed_) {
            error_code ec;
            auto n = co_await socket_.async_read_some(asio::buffer(buffer), nothrow(ec));
            if (ec || n == 0) {
                if (report_.end.empty())
                    report_.end = report_.clean ? "closed cleanly" : "the target dropped the TCP connection";
                break;
            }
            consume(std::span(buffer.data(), n));
        }
        closed_ = true;
    }

    // Bytes as received (the decoder unmasks in place): kept from the last message boundary so
    // that the message can be decoded again after a violation.
    void consume(std::span<std::uint8_t> input)
    {
        const bytes pristine(input.begin(), input.end());
        std::size_t at = 0;
        while (!decoder_.is_failed() && !closed_) {
            auto step = decoder_.feed(input.subspan(at));
            keep(std::span(pristine).subspan(at, step.consumed));
            at += step.consumed;
            const auto& e = step.event;
            if (e.kind == message_event_kind::need_more) break;
            if (e.kind == message_event_kind::violation_found) {
                if (resume_after(e.error, std::span(pristine).subspan(at))) return;
                break;
            }
            on_event(e);
            if (is_message_boundary(e)) start_message();
        }
    }

    bool is_message_boundary(const codec::message_event& e) const
    {
        return !decoder_.is_in_message() &&
               ((e.kind == message_event_kind::frame_finished && e.header.fin) ||
                e.kind == message_event_kind::control_received);
    }

    void keep(std::span<const std::uint8_t> consumed)
    {
        if (replay_lost_) return;
        if (replay_.size() + consumed.size() > replay_limit) {
            replay_lost_ = true;
            replay_.clear();
            return;
        }
        replay_.insert(replay_.end(), consumed.begin(), consumed.end());
    }

    // Between messages: the strict codec again, and the counters as they stand.
    void start_message()
    {
        replay_.clear();
        replay_lost_ = false;
        if (!ignored_.empty()) {
            ignored_ = {};
            decoder_ = codec::message_decoder(decoder_options(options_));
        }
        mark_ = {report_.frames, report_.pings, report_.pongs};
    }

    // Records the violation; then either decodes the current message again with the rule
    // switched off and goes on (true: `rest` consumed), or fails the connection (false).
    bool resume_after(codec::violation v, std::span<const std::uint8_t> rest)
    {
        ++report_.violation_count;
        if (report_.violations.size() < options_.kept_violations) report_.violations.push_back({v, ms()});
        auto why = impossible_to_go_on(v);
        if (!why.empty()) {
            report_.failed_by = why;
            close(codec::close_code_for(v), "the target broke " + std::string(codec::name(v)));
            return false;
        }
        ignored_.push_back(v);
        auto o = decoder_options(options_);
        for (auto rule : ignored_) o.frame.ignored.add(rule);
        decoder_ = codec::message_decoder(o);
        // The message's events so far come again: the counters go back to its start, and the
        // Pings already answered are not answered twice.
        unanswered_skip_ = report_.pings - mark_.pings;
        report_.frames = mark_.frames;
        report_.pings = mark_.pings;
        report_.pongs = mark_.pongs;
        message_size_ = 0;
        bytes again = std::move(replay_);
        replay_.clear();
        again.insert(again.end(), rest.begin(), rest.end());
        consume(again);
        return true;
    }

    std::string impossible_to_go_on(codec::violation v) const
    {
        using codec::violation;
        if (options_.stop_at_violation) return "--stop-at-violation";
        switch (v) {
        case violation::payload_too_big:
        case violation::message_too_big:
        case violation::length_top_bit_set: return "the next frame cannot be found";
        case violation::close_payload_too_short:
        case violation::invalid_close_code:
        case violation::invalid_close_reason: return "a broken Close frame: the connection is closing anyway";
        default: break;
        }
        if (replay_lost_) return "a violation inside a message of more than 1 MiB";
        if (std::find(ignored_.begin(), ignored_.end(), v) != ignored_.end())
            return "the codec cannot get past this frame";
        return {};
    }

    void on_event(const codec::message_event& e)
    {
        switch (e.kind) {
        case message_event_kind::frame_started: ++report_.frames; break;
        case message_event_kind::data_chunk: message_size_ += e.payload.size(); break;
        case message_event_kind::frame_finished:
            if (e.header.fin) on_message(e.opcode == to_nibble(codec::opcode::binary));
            break;
        case message_event_kind::control_received: on_control(e); break;
        case message_event_kind::violation_found: break;  // consume() handles it
        case message_event_kind::need_more: break;
        }
    }

    void on_message(bool binary)
    {
        auto size = std::exchange(message_size_, 0);
        ++(binary ? report_.binary_messages : report_.text_messages);
        report_.smallest = report_.messages() == 1 ? size : std::min(report_.smallest, size);
        report_.largest = std::max(report_.largest, size);
        report_.bytes += size;
        report_.last_ms = ms();
        if (report_.first_ms < 0) report_.first_ms = report_.last_ms;
    }

    void on_control(const codec::message_event& e)
    {
        bytes payload(e.payload.begin(), e.payload.end());
        if (e.opcode == to_nibble(codec::opcode::ping)) {
            ++report_.pings;
            if (unanswered_skip_ > 0) --unanswered_skip_;  // answered before the message was decoded again
            else if (!close_sent_) send(codec::opcode::pong, payload);  // RFC 6455 §5.5.2
        } else if (e.opcode == to_nibble(codec::opcode::pong)) {
            ++report_.pongs;
        } else if (e.opcode == to_nibble(codec::opcode::close)) {
            report_.target_close_code = e.close.code;
            report_.target_close_reason = std::string(e.close.reason);
            report_.clean = true;
            if (!close_sent_) {
                report_.target_closed_first = true;
                report_.end = "the target closed the connection";
                close(codec::close_code::normal_closure, "");
            } else if (report_.end.empty()) {
                report_.end = "closed cleanly";
            }
        }
    }

    // Our Close (RFC 6455 §5.5.1); then the server is to end TCP (§7.1.1), or we do in time.
    void close(std::uint16_t code, std::string why)
    {
        if (close_sent_ || closed_) return;
        close_sent_ = true;
        if (!why.empty()) report_.end = std::move(why);
        send(codec::opcode::close, codec::make_close_payload(code));
        close_wait_.expires_after(options_.close_timeout);
        close_wait_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec || self->closed_) return;
            self->report_.end += " (wsharness dropped the connection: no close reply in time)";
            self->drop();
        });
    }

    void drop()
    {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        closed_ = true;
    }

    void send(codec::opcode op, const bytes& payload)
    {
        auto spec = codec::data_frame(op, true, codec::mask_key_from(rng_()));
        queue_.push_back(codec::encode_frame(spec, payload));
        wake_.cancel_one();
    }

    awaitable<void> write_loop()
    {
        auto self = shared_from_this();
        while (!closed_) {
            if (queue_.empty()) {
                error_code ignored;
                co_await wake_.async_wait(nothrow(ignored));
                continue;
            }
            bytes data = std::move(queue_.front());
            queue_.pop_front();
            error_code ec;
            co_await asio::async_write(socket_, asio::buffer(data), nothrow(ec));
            if (ec) co_return;
        }
    }

    awaitable<void> send_loop()
    {
        auto self = shared_from_this();
        auto period = std::chrono::duration_cast<steady_clock::duration>(std::chrono::duration<double>(1.0 / options_.rate));
        auto next = steady_clock::now();
        for (const auto& text : options_.messages) {
            pace_.expires_at(next);
            error_code ec;
            co_await pace_.async_wait(nothrow(ec));
            if (closed_ || close_sent_) co_return;
            send(options_.binary ? codec::opcode::binary : codec::opcode::text, bytes(text.begin(), text.end()));
            ++report_.sent_messages;
            report_.sent_bytes += text.size();
            next += period;
        }
    }

    static constexpr std::size_t replay_limit = 1u << 20;

    struct counters {
        std::uint64_t frames = 0, pings = 0, pongs = 0;
    };

    tcp::socket socket_;
    const observe_options& options_;
    observe_report& report_;
    codec::message_decoder decoder_;
    asio::steady_timer wake_, end_, pace_, close_wait_;
    std::deque<bytes> queue_;
    std::uint64_t message_size_ = 0;
    bytes replay_;                            // the current message as received
    bool replay_lost_ = false;                // it outgrew replay_limit
    std::vector<codec::violation> ignored_;   // rules switched off until the message ends
    counters mark_;                           // the counters at the message's start
    std::uint64_t unanswered_skip_ = 0;
    bool close_sent_ = false, closed_ = false;
    steady_clock::time_point start_;
    std::mt19937 rng_;
};

// TCP connect and the opening handshake (RFC 6455 §4.1); the bytes after the 101 head.
awaitable<std::optional<bytes>> open(tcp::socket& socket, const observe_options& options, observe_report& report)
{
    if (auto ec = co_await connect(socket, options.url.host, options.url.port, options.connect_timeout)) {
        report.error = "cannot connect to " + options.url.to_string() + ": " + ec.message();
        co_return std::nullopt;
    }
    handshake::client_request req{.host = options.url.host_header(), .target = options.url.target,
                                  .key = random_client_key()};
    req.extra.push_back({"User-Agent", "wsharness/" WSH_VERSION});
    if (auto ec = co_await write_text(socket, handshake::build_request(req))) {
        report.error = "connection lost while sending the opening handshake: " + ec.message();
        co_return std::nullopt;
    }
    auto head = co_await read_head(socket, handshake::head_kind::response, options.connect_timeout);
    if (!head.ok) {
        report.error = "no opening handshake answer: " + head.error;
        co_return std::nullopt;
    }
    auto check = handshake::check_response(head.head, req.key, {}, {});
    if (!check.ok) {
        report.error = "opening handshake refused: " + check.reason;
        co_return std::nullopt;
    }
    co_return std::move(head.leftover);
}

}  // namespace

observe_report observe(const observe_options& options)
{
    observe_report report;
    asio::io_context io;
    asio::co_spawn(io, [&]() -> awaitable<void> {
        tcp::socket socket(co_await asio::this_coro::executor);
        auto leftover = co_await open(socket, options, report);
        if (!leftover) co_return;
        auto o = std::make_shared<observer>(std::move(socket), options, report);
        co_await o->run(std::move(*leftover));
    }, asio::detached);
    io.run();
    return report;
}

}  // namespace wsh::suite
