// SPDX-License-Identifier: MIT
#include "suite/session.hpp"

#include "codec/close.hpp"
#include "codec/deflate.hpp"
#include "codec/frame_encoder.hpp"
#include "codec/mask.hpp"
#include "codec/message_decoder.hpp"
#include "codec/utf8.hpp"
#include "suite/compressed_chunks.hpp"
#include "transport/buffers.hpp"

#include <algorithm>
#include <deque>
#include <random>

namespace wsh::suite {
namespace {

using namespace transport;
using codec::message_event_kind;
using error_code = boost::system::error_code;

constexpr std::size_t read_buffer_size = 256 * 1024;
constexpr std::size_t log_head = 64;
constexpr std::size_t max_mask_keys_kept = 4096;
// What keeping one event or wire-log record costs beyond its payload: the object, its
// allocations and its share of the reports written from it (JSON and HTML), measured on a
// flood of 5-byte messages.
constexpr std::size_t record_cost = 2048;
// 12.x/13.x messages of at least this many units (bytes or code points, so at least one whole
// chunk) are assembled from compressed chunks (run_compressed_echo).
constexpr std::size_t assembled_threshold = 2 * compressed_chunks::chunk_bytes;

enum class link_state : std::uint8_t { open, closing, closed };

struct chunk {
    bytes data;
    bool yield_after = false;  // chopped and sync writes: each piece its own TCP write
    millis gap{0};             // a pause after the write (slow-peer cases)
    // A slice of a large payload, copied (and masked) only when its turn to be written comes:
    // a message of megabytes is never held twice (memory of a run, issue 11).
    std::shared_ptr<const bytes> source;
    std::size_t from = 0;
    std::size_t length = 0;
    std::optional<std::array<std::uint8_t, 4>> mask;
};

// Payloads at least this large are written in slices of this size (see chunk::source).
constexpr std::size_t streamed_slice = 256 * 1024;

bytes head_of(std::span<const std::uint8_t> data)
{
    return bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(std::min(data.size(), log_head)));
}

class session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket socket, const test_case& c, const session_options& options, observation o)
        : socket_(std::move(socket)), case_(c), options_(options), obs_(std::move(o)),
          decoder_(decoder_options(options, c)), wake_writer_(socket_.get_executor()),
          pause_(socket_.get_executor()), gap_(socket_.get_executor()), deadline_(socket_.get_executor()),
          close_wait_(socket_.get_executor()), drop_wait_(socket_.get_executor()),
          reply_wait_(socket_.get_executor()), rng_(std::random_device{}())
    {
        wake_writer_.expires_at(steady_clock::time_point::max());
        if (options.deflate) start_deflate(*options.deflate);
    }

    awaitable<void> run(bytes leftover)
    {
        start_ = steady_clock::now();
        auto self = shared_from_this();
        arm_deadline();
        asio::co_spawn(socket_.get_executor(), self->write_loop(), asio::detached);
        asio::co_spawn(socket_.get_executor(), self->script_loop(), asio::detached);
        if (!leftover.empty()) consume(leftover);
        co_await read_loop();
        finish();
    }

    // The observation, once run() has returned (coroutines still unwinding touch only the
    // moved-from object).
    observation take() { return std::move(obs_); }

private:
    static codec::message_options decoder_options(const session_options& options, const test_case& c)
    {
        codec::message_options m;
        m.frame.local_role = options.tester_is_client ? codec::role::client : codec::role::server;
        // Length-only cases keep no payload, so the target's messages may be as large as it likes.
        if (c.judged_by != judge::length_only) {
            m.frame.max_frame_payload = std::min(options.max_message, options.max_buffer);
            m.max_message = std::min(options.max_message, options.max_buffer);
        }
        return m;
    }

    // RFC 7692: our direction and the target's, as agreed; RSV1 is allowed from here on.
    void start_deflate(const codec::deflate_agreement& a)
    {
        const bool client = options_.tester_is_client;
        const auto tx = client ? a.client_to_server() : a.server_to_client();
        const auto rx = client ? a.server_to_client() : a.client_to_server();
        deflater_.emplace(tx.window_bits, tx.no_context_takeover, options_.deflate_level);
        tx_ = tx;
        inflater_.emplace(rx.window_bits, rx.no_context_takeover, options_.max_message);
        // Our compressed bytes decode in the target's direction too when they reach no further
        // back than its agreed window (§7.1.2.1) and use history only where it may (§7.1.1):
        // then an echo of those very bytes is known to inflate to the message (see on_echo_bytes).
        echo_bytes_prove_ = tx.window_bits <= rx.window_bits && (tx.no_context_takeover || !rx.no_context_takeover);
        decoder_.set_allowed_rsv(codec::rsv1);
        obs_.deflate_negotiated = true;
        obs_.deflate_response = codec::format_deflate(a.response);
    }

    // Counts `n` more bytes kept from the target against the connection's and the run's caps.
    // Over a cap nothing more is kept and the connection is failed (1008): a flooding target
    // ends the case instead of the process's memory.
    bool keep(std::uint64_t n)
    {
        if (!obs_.over_buffer_cap.empty()) return false;
        bool fits = buffered_ + n <= options_.max_buffer;
        if (fits && options_.run_budget && !options_.run_budget->charge(n)) {
            obs_.over_buffer_cap = "wsharness stopped keeping what the target sent: the run's buffer cap of " +
                                   std::to_string(options_.run_budget->cap()) + " bytes (--max-run-buffer) was reached";
        } else if (!fits) {
            obs_.over_buffer_cap = "wsharness stopped keeping what the target sent: over the per-connection buffer cap of " +
                                   std::to_string(options_.max_buffer) + " bytes (--max-buffer)";
        } else {
            buffered_ += n;
            return true;
        }
        obs_.wirelog.push_back(wire_record{.what = wire_record::kind::note, .at_ms = now_ms(),
                                           .text = obs_.over_buffer_cap});
        fail_connection(codec::close_code::policy_violation);
        return false;
    }

    double now_ms() const
    {
        return std::chrono::duration<double, std::milli>(steady_clock::now() - start_).count();
    }

    void log(wire_record r)
    {
        if (!case_.wirelog || obs_.wirelog_truncated || !obs_.over_buffer_cap.empty()) return;
        r.at_ms = now_ms();
        if (obs_.wirelog.size() + 1 >= options_.max_wirelog_records) {
            obs_.wirelog_truncated = true;
            r = wire_record{.what = wire_record::kind::note, .at_ms = r.at_ms,
                            .text = "wire log cut after " + std::to_string(obs_.wirelog.size()) + " records"};
        }
        if (!keep(record_cost + r.head.size() + r.text.size())) return;
        obs_.wirelog.push_back(std::move(r));
    }

    void note(std::string text)
    {
        log(wire_record{.what = wire_record::kind::note, .text = std::move(text)});
    }

    // ---- reading -------------------------------------------------------------------------

    awaitable<void> read_loop()
    {
        read_buffer buffer(read_buffer_size);
        while (state_ != link_state::closed) {
            error_code ec;
            auto n = co_await socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()), nothrow(ec));
            if (ec || n == 0) {
                on_tcp_end(ec);
                break;
            }
            if (case_.wirelog)
                log(wire_record{.what = wire_record::kind::rx_bytes, .length = n,
                                .head = head_of(std::span(buffer.data(), n))});
            consume(std::span(buffer.data(), n));
        }
    }

    void consume(std::span<std::uint8_t> input)
    {
        while (!decoder_.is_failed() && state_ != link_state::closed) {
            auto step = decoder_.feed(input);
            input = input.subspan(step.consumed);
            if (step.event.kind == message_event_kind::need_more) break;
            on_event(step.event);
        }
    }

    void on_event(const codec::message_event& e)
    {
        switch (e.kind) {
        case message_event_kind::frame_started:
            ++obs_.rx_frames;
            if (e.header.masked && obs_.rx_mask_keys.size() < max_mask_keys_kept)
                obs_.rx_mask_keys.push_back(e.header.mask);
            log(wire_record{.what = wire_record::kind::rx_frame, .length = e.header.payload_length,
                            .frame = e.header});
            break;
        case message_event_kind::data_chunk:
            if (e.compressed) {
                on_compressed_chunk(e.payload);
                break;
            }
            // Length-only cases keep the size, not the bytes (messages up to the codec's limit).
            message_size_ += e.payload.size();
            if (case_.judged_by != judge::length_only && !obs_.failed_by_me &&
                message_.size() + e.payload.size() <= options_.max_message && keep(e.payload.size()))
                message_.insert(message_.end(), e.payload.begin(), e.payload.end());
            break;
        case message_event_kind::frame_finished:
            if (e.header.fin && e.compressed && !finish_compressed(e.opcode)) break;
            // An uncompressed message stays out of the target's history but is in ours.
            if (e.header.fin && !e.compressed) echo_bytes_prove_ = false;
            if (e.header.fin) on_message(e.opcode == to_nibble(codec::opcode::binary));
            break;
        case message_event_kind::control_received:
            on_control(e);
            break;
        case message_event_kind::violation_found:
            on_violation(e.error);
            break;
        case message_event_kind::need_more:
            break;
        }
    }

    // RFC 7692 §7.2.2: inflate as the message arrives; a bomb stops at our message limit.
    void on_compressed_chunk(std::span<const std::uint8_t> payload)
    {
        if (!inflater_ || inflate_failed_) return;
        if (echo_ && echo_->verbatim) {
            if (on_echo_bytes(payload)) return;
            inflate_chunk(echo_->sent->data(), echo_->verbatim_at);  // what was held back, then this
            if (inflate_failed_) return;
        }
        inflate_chunk(payload.data(), payload.size());
    }

    // An echo round whose compressed bytes are, so far, exactly the ones we sent: they are held
    // back instead of inflated. The two directions' histories are equal (every message before was
    // echoed and matched, see on_message) and our bytes stay within the target's window, so those
    // bytes inflate in its direction to the message we compressed; finish_compressed() then takes
    // the message as inflated (inflater::assume). False, with nothing held any more, at the first
    // byte that differs: the caller inflates from the start of the message.
    bool on_echo_bytes(std::span<const std::uint8_t> payload)
    {
        auto& e = *echo_;
        const auto& sent = *e.sent;
        if (payload.size() <= sent.size() - e.verbatim_at &&
            std::equal(payload.begin(), payload.end(), sent.begin() + static_cast<std::ptrdiff_t>(e.verbatim_at))) {
            e.verbatim_at += payload.size();
            return true;
        }
        e.verbatim = false;
        return false;
    }

    void inflate_chunk(const std::uint8_t* data, std::size_t size)
    {
        const auto before = message_.size();
        auto status = inflater_->feed(std::span<const std::uint8_t>(data, size), message_);
        message_size_ += message_.size() - before;
        check_inflate(status);
    }

    void check_inflate(codec::inflate_status status)
    {
        if (status == codec::inflate_status::ok) return;
        inflate_failed_ = true;
        on_violation(status == codec::inflate_status::too_big ? codec::violation::inflated_message_too_big
                                                              : codec::violation::invalid_deflate_data);
    }

    // The end of a compressed message: the tail, then RFC 6455 §8.1 on the inflated text.
    bool finish_compressed(std::uint8_t opcode)
    {
        if (!inflater_ || inflate_failed_) return false;
        bool assumed = false;
        if (echo_ && std::exchange(echo_->verbatim, false)) {
            if (echo_->verbatim_at == echo_->sent->size() && echo_->expected.size() <= options_.max_message) {
                // Our own bytes, whole: the message we compressed (on_echo_bytes).
                message_ = echo_->expected;
                message_size_ += message_.size();
                inflater_->assume(message_);
                ++obs_.echo_verbatim;
                assumed = true;
            } else {
                inflate_chunk(echo_->sent->data(), echo_->verbatim_at);  // a prefix of ours, then the end
                if (inflate_failed_) return false;
            }
        }
        if (!assumed) {
            const auto before = message_.size();
            auto status = inflater_->finish(message_);
            message_size_ += message_.size() - before;
            check_inflate(status);
        }
        if (inflate_failed_) return false;
        if (opcode == to_nibble(codec::opcode::text) && !codec::is_valid_utf8(message_)) {
            on_violation(codec::violation::invalid_utf8);
            return false;
        }
        if (case_.judged_by == judge::length_only) message_.clear();
        return true;
    }

    void record(event ev)
    {
        if (obs_.failed_by_me) return;  // after failing the connection nothing is recorded
        if (!keep(record_cost + (ev.data ? ev.data->size() : 0))) return;
        obs_.received.push_back(std::move(ev));
        reply_wait_.cancel();
        maybe_auto_close();
    }

    void on_message(bool binary)
    {
        if (echo_ && echo_->waiting) {
            on_echo(binary);
            return;
        }
        echo_bytes_prove_ = false;  // a message that is no echo: the histories differ from here
        auto size = std::exchange(message_size_, 0);
        event ev{.what = event::kind::message, .binary = binary};
        if (case_.judged_by == judge::length_only) {
            ev.size_only = size;
        } else {
            ev.data = std::make_shared<const bytes>(std::move(message_));
            message_.clear();
        }
        if (case_.accept_message) {
            // A target profile decides which messages are answers to ours (target_profile.hpp).
            auto kept = case_.accept_message(ev);
            if (!kept) {
                ++obs_.unsolicited_messages;
                obs_.unsolicited_bytes += size;
                return;
            }
            ev = std::move(*kept);
        }
        record(std::move(ev));
    }

    void on_control(const codec::message_event& e)
    {
        bytes payload(e.payload.begin(), e.payload.end());
        if (e.opcode == to_nibble(codec::opcode::ping)) {
            // RFC 6455 §5.5.2: answer a Ping with a Pong carrying the same payload.
            if (state_ == link_state::open) send_control(codec::opcode::pong, payload);
        } else if (e.opcode == to_nibble(codec::opcode::pong)) {
            record(event{.what = event::kind::pong,
                         .data = std::make_shared<const bytes>(std::move(payload))});
        } else if (e.opcode == to_nibble(codec::opcode::close)) {
            on_close(e.close);
        }
    }

    void on_close(const codec::close_body& body)
    {
        // The first Close is the target's answer; a second one changes nothing but the count.
        if (++obs_.rx_close_frames > 1) return;
        obs_.remote_close_code = body.code;
        obs_.remote_close_reason = std::string(body.reason);
        if (state_ == link_state::open) {
            // The peer started the closing handshake: answer 1000 without a reason (§5.5.1).
            // Closing before the reply is encoded: a reply does not make the close ours.
            state_ = link_state::closing;
            obs_.local_close_code = codec::close_code::normal_closure;
            send_control(codec::opcode::close,
                         codec::make_close_payload(codec::close_code::normal_closure));
        }
        for (const auto& f : case_.after_target_close) enqueue(chunk{.data = encode(f)});
        close_wait_.cancel();
        obs_.was_clean = true;
        obs_.was_not_clean_reason.clear();
        after_close_handshake();
    }

    // RFC 6455 §7.1.1: the server closes TCP first; a client waits for that, then gives up.
    void after_close_handshake()
    {
        if (!options_.tester_is_client) {
            drop();
            return;
        }
        drop_wait_.expires_after(options_.server_drop_timeout);
        drop_wait_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec || self->state_ == link_state::closed) return;
            self->obs_.was_server_connection_drop_timeout = true;
            self->obs_.was_clean = false;
            self->obs_.was_not_clean_reason = "server did not drop TCP connection in time";
            self->drop();
        });
    }

    void on_violation(codec::violation v)
    {
        obs_.findings.push_back(finding{.rule = v, .at_ms = now_ms()});
        note(std::string("target broke ") + std::string(codec::name(v)) + " (" + std::string(codec::rfc(v)) + " §" +
             std::string(codec::section(v)) + ")");
        fail_connection(codec::close_code_for(v));
    }

    // Autobahn's failConnection with failByDrop=false: a Close while open, a drop otherwise.
    void fail_connection(std::uint16_t code)
    {
        obs_.failed_by_me = true;
        if (state_ == link_state::open)
            start_close(code);
        else
            drop();
    }

    void on_tcp_end(const error_code& ec)
    {
        if (state_ == link_state::closed) return;
        if (!obs_.remote_close_code && !obs_.was_clean && obs_.was_not_clean_reason.empty()) {
            obs_.was_not_clean_reason =
                "peer dropped the TCP connection without previous WebSocket closing handshake";
        }
        if (!obs_.was_clean && obs_.was_not_clean_reason.empty())
            obs_.was_not_clean_reason = ec ? ec.message() : "connection closed";
        state_ = link_state::closed;
    }

    // ---- closing -------------------------------------------------------------------------

    // Sends the first Close (closedByMe) and waits for the reply.
    void start_close(std::optional<std::uint16_t> code)
    {
        if (state_ != link_state::open) return;
        bytes body = code ? codec::make_close_payload(*code) : bytes{};
        send_control(codec::opcode::close, body);
        note_close_sent(code);
    }

    void note_close_sent(std::optional<std::uint16_t> code)
    {
        obs_.closed_by_me = true;
        obs_.local_close_code = code;
        state_ = link_state::closing;
        close_wait_.expires_after(options_.close_handshake_timeout);
        close_wait_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec || self->state_ == link_state::closed || self->obs_.remote_close_code) return;
            if (self->obs_.was_clean) return;
            self->obs_.was_close_handshake_timeout = true;
            self->obs_.was_not_clean_reason = "peer did not respond (in time) in closing handshake";
            self->drop();
        });
    }

    void maybe_auto_close()
    {
        if (!case_.close.closed_by_me || state_ != link_state::open || case_.outcomes.empty()) return;
        if (case_.judged_by == judge::length_only) {
            // Category 9 closes on the last expected message, whatever it holds (autobahn.md §1.9).
            if (obs_.received.size() < case_.outcomes.front().events.size()) return;
        } else if (case_.close.either_may_close) {
            // Our own cases with alternative outcomes: close once any tester-closed one matches.
            auto matched = std::any_of(case_.outcomes.begin(), case_.outcomes.end(), [&](const outcome& out) {
                return !out.requires_target_close && obs_.received == out.events;
            });
            if (!matched) return;
        } else {
            for (const auto& out : case_.outcomes)
                if (obs_.received != out.events) return;
        }
        start_close(case_.close.codes.empty() ? std::optional<std::uint16_t>{}
                                              : case_.close.codes.front());
    }

    void drop()
    {
        if (state_ == link_state::closed) return;
        obs_.dropped_by_me = true;
        if (!obs_.was_clean && obs_.was_not_clean_reason.empty())
            obs_.was_not_clean_reason = "wsharness dropped the TCP connection";
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        state_ = link_state::closed;
    }

    void arm_deadline()
    {
        deadline_.expires_after(options_.case_cap.count() > 0 ? options_.case_cap
                                                              : derive_deadline(case_, options_));
        deadline_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec || self->state_ == link_state::closed) return;
            self->obs_.hit_deadline = true;
            if (self->obs_.was_not_clean_reason.empty())
                self->obs_.was_not_clean_reason = "the case hit its deadline";
            self->obs_.was_clean = false;
            self->drop();
        });
    }

    void finish()
    {
        obs_.duration_ms = now_ms();
        for (auto* t : {&pause_, &deadline_, &close_wait_, &drop_wait_, &wake_writer_, &reply_wait_, &gap_})
            t->cancel();
        for (auto& t : timers_) t->cancel();
        error_code ignored;
        socket_.close(ignored);
        if (options_.run_budget) options_.run_budget->release(std::exchange(buffered_, 0));
    }

    // ---- writing -------------------------------------------------------------------------

    std::optional<std::array<std::uint8_t, 4>> next_mask()
    {
        if (!options_.tester_is_client) return std::nullopt;
        return codec::mask_key_from(rng_());
    }

    bytes encode(const frame_item& f)
    {
        static const bytes empty;
        return codec::encode_frame(prepare(f), f.payload ? *f.payload : empty);
    }

    // `f` encoded after what `out` holds (a script's frames written at once: one buffer).
    void append(bytes& out, const frame_item& f)
    {
        static const bytes empty;
        const bytes& payload = f.payload ? *f.payload : empty;
        transport::grow_for(out, codec::max_header_size + payload.size());
        codec::append_frame(out, prepare(f), payload);
    }

    // The header of `f` and its payload as slices written one after the other (whole writes of
    // large payloads: the peer sees the same byte stream).
    void enqueue_streamed(const frame_item& f, bytes before)
    {
        const codec::frame_spec spec = prepare(f);
        std::array<std::uint8_t, codec::max_header_size> header{};
        const auto n = codec::encode_header(spec, f.payload->size(), header);
        before.insert(before.end(), header.begin(), header.begin() + static_cast<std::ptrdiff_t>(n));
        enqueue(chunk{.data = std::move(before)});
        for (std::size_t at = 0; at < f.payload->size(); at += streamed_slice)
            enqueue(chunk{.source = f.payload, .from = at,
                          .length = std::min(streamed_slice, f.payload->size() - at), .mask = spec.mask});
    }

    static bool is_streamed(const frame_item& f)
    {
        return f.payload && f.payload->size() >= streamed_slice && !f.spec.declared_length;
    }

    // Mask, counters, wire log and closing state of a frame about to be encoded.
    codec::frame_spec prepare(const frame_item& f)
    {
        static const bytes empty;
        const bytes& payload = f.payload ? *f.payload : empty;
        codec::frame_spec spec = f.spec;
        if (!spec.mask && !f.unmasked) spec.mask = next_mask();
        count_tx(spec.opcode);
        if (case_.wirelog) {
            codec::frame_header h{.fin = spec.fin, .rsv = spec.rsv, .opcode = spec.opcode,
                                  .masked = spec.mask.has_value(),
                                  .mask = spec.mask.value_or(std::array<std::uint8_t, 4>{}),
                                  .payload_length = payload.size()};
            log(wire_record{.what = wire_record::kind::tx_frame, .length = payload.size(),
                            .head = head_of(payload), .frame = h});
        }
        // An outgoing Close starts (or answers) the closing handshake.
        if (spec.opcode == to_nibble(codec::opcode::close) && state_ == link_state::open && !f.raw) {
            auto parsed = codec::parse_close_payload(payload);
            note_close_sent(parsed.body.code);
        }
        return spec;
    }

    void count_tx(std::uint8_t opcode)
    {
        ++obs_.tx_frames;
        ++obs_.tx_frames_by_opcode[opcode & 0x0f];
        if (!codec::is_control(opcode)) ++obs_.tx_data_frames;
    }

    void send_control(codec::opcode op, const bytes& payload)
    {
        frame_item f{.spec = codec::data_frame(op), .payload = std::make_shared<const bytes>(payload)};
        enqueue(chunk{.data = encode(f)});
    }

    void enqueue(chunk c)
    {
        queue_.push_back(std::move(c));
        wake_writer_.cancel_one();
    }

    void enqueue_chopped(bytes data, std::size_t chop, millis gap = millis{0})
    {
        for (std::size_t at = 0; at < data.size(); at += chop) {
            auto end = std::min(data.size(), at + chop);
            enqueue(chunk{.data = bytes(data.begin() + static_cast<std::ptrdiff_t>(at),
                                        data.begin() + static_cast<std::ptrdiff_t>(end)),
                          .yield_after = true,
                          .gap = gap});
        }
    }

    awaitable<void> write_loop()
    {
        auto self = shared_from_this();
        while (state_ != link_state::closed) {
            if (queue_.empty()) {
                error_code ignored;
                co_await wake_writer_.async_wait(nothrow(ignored));
                continue;
            }
            chunk c = std::move(queue_.front());
            queue_.pop_front();
            const bool sliced = c.source != nullptr;
            if (sliced) {
                // One slice buffer per session, reused: no allocation (and no fresh pages) per slice.
                const auto* from = c.source->data() + c.from;
                slice_.assign(from, from + c.length);
                if (c.mask) codec::apply_mask(slice_, *c.mask, c.from);
                c.source.reset();
            }
            const bytes& out = sliced ? slice_ : c.data;
            error_code ec;
            auto n = co_await asio::async_write(socket_, asio::buffer(out), nothrow(ec));
            if (ec) break;
            if (case_.wirelog)
                log(wire_record{.what = wire_record::kind::tx_bytes, .length = n, .head = head_of(out)});
            if (c.gap.count() > 0) {
                gap_.expires_after(c.gap);
                co_await gap_.async_wait(nothrow(ec));
            } else if (c.yield_after) {
                co_await asio::post(socket_.get_executor(), asio::use_awaitable);
            }
        }
    }

    // ---- the script ----------------------------------------------------------------------

    awaitable<void> script_loop()
    {
        auto self = shared_from_this();
        if (case_.deflate && !deflater_) {
            // Autobahn 12.x/13.x: without the extension the tester closes at once (UNIMPLEMENTED).
            note("permessage-deflate was not negotiated");
            start_close(codec::close_code::normal_closure);
            co_return;
        }
        // Category 9's megabytes exist while the case runs, and only until written.
        std::vector<step> built = case_.make_sends ? case_.make_sends() : std::vector<step>{};
        for (auto& s : built) {
            if (!co_await run_step(s)) co_return;
            if (auto* send = std::get_if<send_step>(&s)) send->frames = {};
        }
        for (const auto& s : case_.script)
            if (!co_await run_step(s)) co_return;
    }

    // One step of the script; false when the script is to stop.
    awaitable<bool> run_step(const step& s)
    {
        auto self = shared_from_this();
        if (state_ == link_state::closed) co_return false;
        if (auto* send = std::get_if<send_step>(&s)) {
            run_send(*send);
        } else if (auto* begin = std::get_if<frame_begin_step>(&s)) {
            run_frame_begin(*begin);
        } else if (auto* data = std::get_if<frame_data_step>(&s)) {
            run_frame_data(*data);
        } else if (auto* exchange = std::get_if<exchange_step>(&s)) {
            co_await run_exchange(*exchange);
        } else if (auto* echo = std::get_if<compressed_echo_step>(&s)) {
            co_await run_compressed_echo(*echo);
        } else if (auto* timer = std::get_if<timer_step>(&s)) {
            arm_timer(*timer);
        } else if (auto* pause = std::get_if<pause_step>(&s)) {
            pause_.expires_after(pause->duration);
            error_code ignored;
            co_await pause_.async_wait(nothrow(ignored));
            // A delayed step runs only while the connection is open (autobahn.md §5.3).
            if (state_ != link_state::open) co_return false;
            if (!pause->mark.empty())
                record(event{.what = event::kind::timeout,
                             .data = std::make_shared<const bytes>(pause->mark.begin(), pause->mark.end())});
        }
        co_return true;
    }

    void run_send(const send_step& s)
    {
        if (s.chop > 0) {
            bytes all;
            for (const auto& f : s.frames) append(all, f);
            enqueue_chopped(std::move(all), s.chop, s.gap);
        } else if (s.sync) {
            for (const auto& f : s.frames) {
                if (is_streamed(f)) {
                    enqueue_streamed(f, {});
                    queue_.back().yield_after = true;
                } else {
                    enqueue(chunk{.data = encode(f), .yield_after = true});
                }
            }
        } else {
            bytes all;
            bool streamed = false;
            for (const auto& f : s.frames) {
                if (is_streamed(f)) {
                    enqueue_streamed(f, std::exchange(all, {}));
                    streamed = true;
                    continue;
                }
                append(all, f);
            }
            if (!streamed || !all.empty()) enqueue(chunk{.data = std::move(all)});
        }
    }

    // Strict request/response: the next frame goes out only once the previous reply arrived; a
    // reply of another type or length ends the rounds with a Close 1000 (Autobahn 9.7/9.8).
    awaitable<void> run_exchange(const exchange_step& s)
    {
        auto self = shared_from_this();
        const bool binary = s.frame.spec.opcode == to_nibble(codec::opcode::binary);
        const std::size_t size = s.frame.payload ? s.frame.payload->size() : 0;
        for (std::size_t round = 0; round < s.count && state_ == link_state::open; ++round) {
            const auto before = obs_.received.size();
            enqueue(chunk{.data = encode(s.frame)});
            while (obs_.received.size() == before && state_ == link_state::open) {
                reply_wait_.expires_at(steady_clock::time_point::max());
                error_code ignored;
                co_await reply_wait_.async_wait(nothrow(ignored));
            }
            // Once closed, obs_ may already have been handed out: touch nothing.
            if (state_ == link_state::closed || obs_.received.size() <= before) co_return;
            const event& reply = obs_.received.back();
            if (reply.what != event::kind::message || reply.binary != binary ||
                reply.size() != size) {
                start_close(codec::close_code::normal_closure);
                co_return;
            }
        }
    }

    // Autobahn 12.x/13.x: one compressed message at a time, the next once its echo matched.
    // Messages of two chunks or more are assembled from the payload's compressed chunks
    // (compressed_chunks; history: the message before); smaller ones go through the
    // connection's running context.
    awaitable<void> run_compressed_echo(const compressed_echo_step& s)
    {
        auto self = shared_from_this();
        obs_.echo_expected += s.count;
        if (!deflater_ || !s.source) co_return;
        const std::uint8_t op = to_nibble(s.source->text ? codec::opcode::text : codec::opcode::binary);
        const auto chunks = s.size >= assembled_threshold ? compressed_chunks::of(*s.source, tx_.window_bits) : nullptr;
        bytes previous;
        echo_.emplace();
        for (std::size_t round = 0; round < s.count && state_ == link_state::open; ++round) {
            echo_->expected = s.source->slice(round, s.size);
            echo_->binary = !s.source->text;
            echo_->index = round;
            echo_->waiting = true;
            echo_->matched = false;
            auto compressed = std::make_shared<bytes>();
            if (chunks) {
                chunks->assemble(round, s.size, *deflater_, previous, *compressed);
            } else {
                deflater_->compress(echo_->expected, *compressed);
            }
            obs_.tx_uncompressed += echo_->expected.size();
            obs_.tx_compressed += compressed->size();
            echo_->verbatim = echo_bytes_prove_;
            echo_->verbatim_at = 0;
            echo_->sent = compressed;
            enqueue(chunk{.data = frame_compressed(op, *compressed, s.fragment)});
            while (echo_->waiting && state_ == link_state::open) {
                reply_wait_.expires_at(steady_clock::time_point::max());
                error_code ignored;
                co_await reply_wait_.async_wait(nothrow(ignored));
            }
            if (state_ == link_state::closed || !echo_->matched) co_return;
            ++obs_.echo_done;
            if (chunks && !tx_.no_context_takeover) previous = std::move(echo_->expected);
        }
        echo_.reset();
        start_close(codec::close_code::normal_closure);
    }

    // RFC 7692 §6.1: RSV1 on the first frame only; Autobahn fragments after compressing, and a
    // message of an exact multiple of the fragment size ends with an empty frame (§5.4 helper).
    bytes frame_compressed(std::uint8_t op, const bytes& compressed, std::size_t fragment)
    {
        bytes wire;
        std::span<const std::uint8_t> rest(compressed);
        bool first = true;
        for (;;) {
            const bool last = fragment == 0 || rest.size() < fragment ||
                              (first && rest.size() == fragment);
            const auto piece = last ? rest : rest.first(fragment);
            codec::frame_spec spec{.fin = last, .rsv = first ? codec::rsv1 : std::uint8_t{0},
                                   .opcode = first ? op : to_nibble(codec::opcode::continuation)};
            spec.mask = next_mask();
            count_tx(spec.opcode);
            codec::append_frame(wire, spec, piece);
            if (last) break;
            rest = rest.subspan(fragment);
            first = false;
        }
        return wire;
    }

    // The echo of the current round: same type, same bytes.
    void on_echo(bool binary)
    {
        message_size_ = 0;
        echo_->waiting = false;
        if (binary != echo_->binary || message_ != echo_->expected) {
            obs_.echo_problem = fmt_echo_problem(binary);
            start_close(codec::close_code::normal_closure);
        } else {
            echo_->matched = true;
        }
        message_.clear();
        reply_wait_.cancel();
    }

    std::string fmt_echo_problem(bool binary) const
    {
        std::string what = binary != echo_->binary
                               ? std::string("a ") + (binary ? "binary" : "text") + " message"
                               : std::to_string(message_.size()) + " bytes that differ";
        return "message " + std::to_string(echo_->index + 1) + " of " + std::to_string(echo_->expected.size()) +
               " bytes was echoed as " + what;
    }

    void run_frame_begin(const frame_begin_step& s)
    {
        codec::frame_spec spec = s.spec;
        if (!spec.mask) spec.mask = next_mask();
        spec.declared_length = s.declared_length;
        stream_mask_ = spec.mask;
        stream_offset_ = 0;
        count_tx(spec.opcode);
        std::array<std::uint8_t, codec::max_header_size> header{};
        auto n = codec::encode_header(spec, s.declared_length, header);
        enqueue(chunk{.data = bytes(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(n)),
                      .yield_after = true});
    }

    void run_frame_data(const frame_data_step& s)
    {
        bytes data = s.data ? *s.data : bytes{};
        if (stream_mask_) codec::apply_mask(data, *stream_mask_, stream_offset_);
        stream_offset_ += data.size();
        enqueue(chunk{.data = std::move(data), .yield_after = true});
    }

    void arm_timer(const timer_step& t)
    {
        auto timer = std::make_shared<asio::steady_timer>(socket_.get_executor());
        timers_.push_back(timer);
        timer->expires_after(t.after);
        log(wire_record{.what = wire_record::kind::timer,
                        .length = static_cast<std::uint64_t>(t.after.count()),
                        .text = t.kind == timer_kind::kill_after ? "KL" : "TI"});
        timer->async_wait([self = shared_from_this(), kind = t.kind](error_code ec) {
            if (ec || self->state_ == link_state::closed) return;
            self->note(kind == timer_kind::kill_after ? "kill timer fired" : "close timer fired");
            if (kind == timer_kind::kill_after)
                self->fail_connection(codec::close_code::going_away);
            else
                self->start_close(std::nullopt);
        });
    }

    tcp::socket socket_;
    const test_case& case_;
    session_options options_;
    observation obs_;
    codec::message_decoder decoder_;
    asio::steady_timer wake_writer_;
    asio::steady_timer pause_;
    asio::steady_timer gap_;
    asio::steady_timer deadline_;
    asio::steady_timer close_wait_;
    asio::steady_timer drop_wait_;
    asio::steady_timer reply_wait_;  // woken by every recorded event (exchange rounds)
    std::vector<std::shared_ptr<asio::steady_timer>> timers_;
    std::deque<chunk> queue_;
    bytes slice_;  // the slice of a large payload being written (chunk::source)
    bytes message_;
    std::uint64_t message_size_ = 0;
    std::uint64_t buffered_ = 0;  // bytes kept from the target, counted by keep()
    link_state state_ = link_state::open;
    steady_clock::time_point start_;
    std::mt19937 rng_;
    std::optional<std::array<std::uint8_t, 4>> stream_mask_;
    std::uint64_t stream_offset_ = 0;
    std::optional<codec::deflater> deflater_;
    codec::deflate_direction tx_;  // what we agreed to compress with
    std::optional<codec::inflater> inflater_;
    bool inflate_failed_ = false;
    bool echo_bytes_prove_ = false;  // an echo of our compressed bytes proves itself (start_deflate)
    struct echo_round {
        bytes expected;
        bool binary = false;
        std::size_t index = 0;
        bool waiting = false;
        bool matched = false;
        std::shared_ptr<const bytes> sent;  // the compressed message, without framing
        bool verbatim = false;              // the echo so far is sent's first verbatim_at bytes
        std::size_t verbatim_at = 0;
    };
    std::optional<echo_round> echo_;
};

}  // namespace

bool buffer_budget::charge(std::uint64_t n) noexcept
{
    auto used = used_.load();
    do {
        if (used + n > cap_) return false;
    } while (!used_.compare_exchange_weak(used, used + n));
    return true;
}

void buffer_budget::release(std::uint64_t n) noexcept { used_.fetch_sub(n); }

millis derive_deadline(const test_case& c, const session_options& options)
{
    millis total{2000};
    for (const auto& s : c.script) {
        if (auto* p = std::get_if<pause_step>(&s)) total += p->duration;
        if (auto* t = std::get_if<timer_step>(&s)) total += t->after;
        if (auto* w = std::get_if<send_step>(&s); w && w->chop > 0 && w->gap.count() > 0) {
            std::size_t size = 0;
            for (const auto& f : w->frames) size += codec::max_header_size + (f.payload ? f.payload->size() : 0);
            total += w->gap * static_cast<long>((size + w->chop - 1) / w->chop);
        }
    }
    return total + options.close_handshake_timeout + options.server_drop_timeout;
}

transport::awaitable<void> run_session(transport::tcp::socket socket, const test_case& c,
                                       const session_options& options, observation& o,
                                       bytes leftover)
{
    auto s = std::make_shared<session>(std::move(socket), c, options, std::move(o));
    co_await s->run(std::move(leftover));
    o = s->take();
}

}  // namespace wsh::suite
