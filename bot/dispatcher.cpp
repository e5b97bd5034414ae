#include "bot/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <random>

#include "commands/clean_text.hpp"
#include "commands/parser.hpp"
#include "commands/usage.hpp"

namespace slabot {
namespace {

// Threads that handle messages: store reads and writes wait here, never on the event loop.
constexpr int kHandlerThreads = 2;

// 128 random bits in hex: the key of a reply to a message without a platform event id. A
// per-process counter would start again after a restart, and a new reply keyed like an old
// one would be dropped as already queued.
std::string unique_token() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  std::array<char, 33> text{};
  std::snprintf(text.data(), text.size(), "%016llx%016llx", static_cast<unsigned long long>(engine()),
                static_cast<unsigned long long>(engine()));
  return text.data();
}

// "#12" when the reply names a ticket first ("#12 opened: ..."), "-" otherwise.
std::string ticket_of(TicketId id, const std::string& reply) {
  if (id > 0) return "#" + std::to_string(id);
  std::size_t digits = 0;
  while (reply.size() > 1 + digits && std::isdigit(static_cast<unsigned char>(reply[1 + digits]))) ++digits;
  return reply.starts_with('#') && digits > 0 ? reply.substr(0, 1 + digits) : std::string("-");
}

// One command, once its reply is known (a failed reply whatever the path): counted in the metrics
// and logged in one info line, with the time since it reached the dispatcher, queueing included:
// what the person waited for. The line names the connection, the chat, the actor, the verb, the
// ticket and the outcome; never the message's text.
struct CommandRecord {
  Metrics* metrics;
  std::string verb;
  std::chrono::steady_clock::time_point arrived;
  std::string where;  // "<connection> <chat>"
  std::string actor;  // the actor's id once known, else the platform's user id
  TicketId ticket = 0;

  std::function<void(BotReply)> wrap(std::string outcome, std::function<void(BotReply)> done) const {
    return [record = *this, outcome = std::move(outcome), done = std::move(done)](BotReply reply) {
      const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - record.arrived;
      const std::string& result = reply.failed     ? std::string("failed")
                                  : reply.repeated ? std::string("duplicate")
                                                   : outcome;
      if (record.metrics) record.metrics->observe_command(record.verb, result, waited.count());
      spdlog::info("command: {} actor={} verb={} ticket={} outcome={} {:.1f} ms", record.where, record.actor,
                   record.verb, ticket_of(record.ticket, reply.text), result, waited.count() * 1000);
      done(std::move(reply));
    };
  }
};

}  // namespace

Dispatcher::Generation::Generation(std::shared_ptr<const Config> snapshot, std::uint64_t number_, Store& store,
                                   const Clock& clock, const CommandHooks& hooks, const DutyRoster& duty)
    : config(std::move(snapshot)),
      number(number_),
      directory(*config, duty),
      commands(store, clock, directory, config->sla, hooks) {}

Dispatcher::Dispatcher(const LiveConfig& config, Store& store, const Clock& clock, CommandHooks hooks, Metrics* metrics,
                       const DutyRoster* duty)
    : config_(config),
      store_(store),
      clock_(clock),
      hooks_(std::move(hooks)),
      metrics_(metrics),
      duty_(duty ? *duty : no_changes_),
      work_(std::make_unique<WorkQueue>(kHandlerThreads)) {}

std::shared_ptr<Dispatcher::Generation> Dispatcher::generation() {
  std::lock_guard lock(generation_mutex_);
  // The number first: a reload between the two reads only makes the next message rebuild again.
  const std::uint64_t number = config_.generation();
  if (!generation_ || generation_->number != number) {
    generation_ = std::make_shared<Generation>(config_.current(), number, store_, clock_, hooks_, duty_);
  }
  return generation_;
}

Actor Dispatcher::resolve_actor(const InboundMessage& message) const {
  return resolve_actor(*config_.current(), message);
}

namespace {

// The platform user `user_id` on the message's connection: the staff member it belongs to, or a
// partner. A staff id given for this connection wins over one given for its whole platform: two
// bridges of one adapter may number their users independently.
Actor person_on(const Config& config, const InboundMessage& message, const std::string& user_id,
                const std::string& display_name) {
  for (const auto& key : {message.connection, message.platform}) {
    for (const auto& member : config.staff) {
      const auto id = member.platform_ids.find(key);
      if (id != member.platform_ids.end() && id->second == user_id) return staff_actor(member);
    }
  }
  // Partners are not listed anywhere: their identity on this connection is their id. The name
  // is theirs to choose and the bot repeats it ("opened by ..."): stored without what could
  // reorder or hide text, and as valid UTF-8 (form bodies and XML can carry any byte).
  return Actor{message.connection + ":" + user_id, text::clean_name(display_name), Role::partner};
}

}  // namespace

Actor Dispatcher::resolve_actor(const Config& config, const InboundMessage& message) {
  Actor actor = person_on(config, message, message.user_id, message.user_name);
  if (actor.name.empty()) actor.name = text::clean_name(message.user_id);
  return actor;
}

std::vector<Actor> Dispatcher::resolve_mentions(const Config& config, const InboundMessage& message) {
  std::vector<Actor> out;
  for (const auto& mention : message.mentions) {
    if (mention.user_id.empty()) continue;
    Actor person = person_on(config, message, mention.user_id, mention.name);
    bool seen = false;
    for (const auto& earlier : out) seen = seen || earlier.id == person.id;
    if (!seen) out.push_back(std::move(person));
  }
  return out;
}

Dispatcher::~Dispatcher() {
  work_.reset();  // finishes the messages in hand first
  // Their writes complete on the store's writer thread, and their callbacks use this dispatcher
  // (and whatever owns it): wait for every answer before going.
  std::unique_lock lock(in_flight_mutex_);
  all_answered_.wait(lock, [this] { return in_flight_ == 0; });
}

void Dispatcher::handle(InboundMessage message, std::function<void(BotReply)> done) {
  {
    std::lock_guard lock(in_flight_mutex_);
    ++in_flight_;
  }
  // Called once whatever happens: by the command's completion, or here when handling threw (a
  // failed store read), so no transport waits for ever.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  auto answer = [this, answered, done = std::move(done)](BotReply reply) {
    if (answered->exchange(true)) return;
    done(std::move(reply));
    // Last, and notified under the lock: once the destructor sees zero, nothing here runs on.
    std::lock_guard lock(in_flight_mutex_);
    --in_flight_;
    all_answered_.notify_all();
  };
  const auto arrived = std::chrono::steady_clock::now();
  const auto failed = [answer, from = message.connection + ":" + message.chat_id](const std::exception& e) {
    spdlog::error("could not handle a message in {}: {}", from, e.what());
    answer({"could not handle that; nothing changed, please try again", true});
  };
  try {
    // One config for the whole command, held (with the command service built on it) until the
    // reply is given, however long the store takes.
    auto in_use = generation();
    // A tap runs the command its button stands for, whatever text the platform put beside it.
    if (message.tap) message.text = tap_command(message.tap->action);
    // Two Telegram bots on two connections are two names: `/ack@other_bot` is not for this one.
    auto parsed = parse_command(message.text, message.bot_name.empty() ? in_use->config->bot_name : message.bot_name);
    // Only a command that reads the store before it writes can wait here (a read waits for a
    // pooled connection and the disk): it goes to the handler threads, so the caller (the HTTP
    // event loop, a stream's session) never waits on the store. Anything else is handled right
    // here: opening a ticket and a ticket's own change only queue their work for the writer, and
    // a message spared a hand-off between threads costs a busy desk less CPU.
    const auto* command = std::get_if<Command>(&parsed);
    if (!command || !CommandService::reads_before_writing(*command)) {
      handle_now(std::move(message), std::move(in_use), std::move(parsed), answer, arrived);
      return;
    }
    work_->post([this, message = std::move(message), in_use = std::move(in_use), parsed = std::move(parsed), answer,
                 arrived, failed]() mutable {
      try {
        handle_now(std::move(message), std::move(in_use), std::move(parsed), answer, arrived);
      } catch (const std::exception& e) {
        failed(e);
      }
    });
  } catch (const std::exception& e) {
    failed(e);
  }
}

void Dispatcher::handle_now(InboundMessage message, std::shared_ptr<Generation> in_use, ParseResult parsed,
                            std::function<void(BotReply)> done, std::chrono::steady_clock::time_point arrived) {
  const Config& config = *in_use->config;
  done = [in_use, done = std::move(done)](BotReply reply) { done(std::move(reply)); };
  if (std::holds_alternative<NotACommand>(parsed)) {
    done({});  // ordinary chat, in any group: the bot stays silent
    return;
  }
  const auto* command = std::get_if<Command>(&parsed);
  CommandRecord meter{metrics_,
                      command ? std::string(verb_name(command->verb)) : "unknown",
                      arrived,
                      message.connection + " " + message.chat_id,
                      message.connection + ":" + message.user_id,
                      command ? command->id : 0};
  const Channel* channel = config.find_channel(message.connection, message.chat_id);
  const Tenant* tenant = channel && !channel->support_side() ? config.find_tenant(channel->tenant_id) : nullptr;
  if (!channel || (!channel->support_side() && !tenant)) {
    // Nothing is stored for a group the config does not know, so the answer goes only where it
    // can go without storing anything: in the HTTP answer.
    spdlog::debug("command from unregistered chat {} on {}", message.chat_id, message.connection);
    meter.wrap("unregistered",
               std::move(done))({message.reply_via_outbox ? "" : "this group is not registered", false});
    return;
  }

  ChatContext context;
  context.actor = resolve_actor(config, message);
  context.mentioned = resolve_mentions(config, message);
  meter.actor = context.actor.id;
  if (tenant) context.tenant = *tenant;
  context.channel = message.connection + ":" + message.chat_id;
  context.zone = config.reader_zone(*channel);
  // A platform retry of a message already handled gets the same answer and changes nothing: the
  // store finds the event on its writer thread, where a retry racing its original is caught too.
  // (Reads record no event: a retried /show is answered again, from what is stored now.)
  if (!message.event_id.empty()) context.event = EventKey{message.connection, message.chat_id, message.event_id};
  if (message.reply_via_outbox) {
    OutboxItem reply;
    // The platform's own reply address for this message first (a session webhook), else the
    // group's robot, else (empty) the connection's: never another group's robot.
    const std::string& url = message.reply_url.empty() ? channel->outbound_url : message.reply_url;
    reply.message = OutboundMessage{message.connection, message.chat_id, "", {}, url};
    reply.message.tap = message.tap;  // the answer goes back to the tapped message
    reply.message.thread_id = message.thread_id;
    reply.lane = Lane::routine;
    reply.idempotency_key = "reply:" + message.connection + ":" + message.chat_id + ":" +
                            (message.event_id.empty() ? "local-" + unique_token() : message.event_id);
    context.reply_message = std::move(reply);
  }
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    in_use->commands.answer(context, error->message + "; usage: " + error->usage,
                            meter.wrap("usage_error", std::move(done)));
    return;
  }
  in_use->commands.execute(context, *command, meter.wrap("ok", std::move(done)));
}

}  // namespace slabot
