// SLA scheduler at scale (issue 3): a million running response clocks in the deadline queue.
// Prints the memory the queue takes, how long SlaScheduler::load() takes at start-up, and how late
// stages are written (durably, through the store's group-commit writer) after their due time, with
// a real SystemClock: a spread of stages due 2-5 s after the driver starts, then a burst all due at
// one instant.
//
//   ./build/bench/sla_bench [--tickets N] [--spread N] [--burst N]
//                           (defaults 1000000, 10000, 10000; spread and burst are part of N)
//
// Setup: the database is a temp file, seeded with a bulk INSERT through SQLiteCpp into the schema
// SqliteStore migrated (not through the Store API: a million group-commit writes would make the
// setup the longest part); the seeding time is printed, but it is not a figure the bot promises.
// The time a stage was written is observed by wrapping the Store: the completion of each
// update_ticket runs after the COMMIT that made it durable.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef SLABOT_TCMALLOC
#include <gperftools/malloc_extension_c.h>
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bot/buffered_log_sink.hpp"
#include "bot/sla/sla_scheduler.hpp"
#include "domain/sla_clock.hpp"
#include "storage/forwarding_store.hpp"
#include "storage/sqlite_store.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); -1 when unreadable.
long status_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

// CPU seconds this process used so far, every thread.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds each of this process's threads used so far, by thread name (threads of one name
// summed): from /proc/self/task/*/schedstat, whose first field is nanoseconds on a CPU.
std::map<std::string, double> thread_cpu_seconds() {
  std::map<std::string, double> by_name;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::ifstream schedstat(task.path() / "schedstat");
    std::string name;
    long long ns = 0;
    if (std::getline(comm, name) && (schedstat >> ns)) by_name[name] += static_cast<double>(ns) / 1e9;
  }
  return by_name;
}

double mib(long kib) { return kib / 1024.0; }

// Resets VmHWM to the current RSS (Linux 4.0+), so the peak printed is the load's own.
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

// The allocator's bytes in use: tcmalloc's when linked (CMakeLists.txt), else glibc's.
std::size_t heap_in_use() {
#ifdef SLABOT_TCMALLOC
  std::size_t allocated = 0;
  MallocExtension_GetNumericProperty("generic.current_allocated_bytes", &allocated);
  return allocated;
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const auto info = mallinfo2();
  return info.uordblks + info.hblkhd;  // large blocks (the queue's vector) are mmapped apart
#else
  return 0;
#endif
}

// Gives the allocator's free pages back to the system, so that RSS counts what is in use.
void release_free_memory() {
#ifdef SLABOT_TCMALLOC
  MallocExtension_ReleaseFreeMemory();
#else
  malloc_trim(0);
#endif
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown cpu";
}

std::string load_average() {
  std::ifstream loadavg("/proc/loadavg");
  std::string one, five, fifteen;
  loadavg >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Four partners, one per package, each with its own group; the support side's channel.
Config bench_config(const std::string& db) {
  Config c;
  c.database_path = db;
  c.tenants = {{"acme", "Acme", Package::selected, ""},
               {"globex", "Globex", Package::premium, "tom"},
               {"initech", "Initech", Package::elite, "tina"},
               {"umbrella", "Umbrella", Package::flagship, "tom"}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"generic", "u-erin"}}, true},
             {"ed", "Ed", Role::engineer, {{"generic", "u-ed"}}, true},
             {"tom", "Tom", Role::tam, {{"generic", "u-tom"}}},
             {"tina", "Tina", Role::tam, {{"generic", "u-tina"}}},
             {"maria", "Maria", Role::manager, {{"generic", "u-maria"}}}};
  c.connections = {{"hooks", "generic", {{"secret", "s"}}, "http://127.0.0.1:9/out"}};
  for (const auto& tenant : c.tenants) c.channels.push_back({"hooks", tenant.id + "-7x24", tenant.id});
  c.channels.push_back({"hooks", "support", ""});
  return c;
}

const SlaPolicy& policy_of(const Config& config, const Ticket& t) {
  const Tenant* tenant = config.find_tenant(t.tenant_id);
  return config.sla.for_package(tenant ? tenant->package : Package::selected);
}

const char* const kTitles[] = {"DB down",
                               "Login page returns 502 for every user",
                               "Slow reports",
                               "Invoice export fails on PDF",
                               "VPN drops every hour",
                               "Printer queue stuck"};
const char* const kSubCustomers[] = {"", "", "Hooli", "Vandelay Industries", "Wayne Enterprises"};

// A running clock whose next stage is `lead` ahead of `now`, at a stage drawn at random: before
// any warning, after warn50, after warn80, or breached with 0-3 repeat pings sent.
Ticket running_ticket(const Config& config, TicketId id, Timestamp now, std::mt19937_64& random) {
  Ticket t;
  t.id = id;
  t.tenant_id = config.tenants[random() % config.tenants.size()].id;
  t.sub_customer = kSubCustomers[random() % std::size(kSubCustomers)];
  t.title = std::string(kTitles[random() % std::size(kTitles)]) + " (ref " + std::to_string(id) + ")";
  t.severity = 1 + static_cast<int>(random() % 5);
  t.opened_by_id = "hooks:u-" + std::to_string(random() % 5000);
  t.opened_by_name = "Partner " + std::to_string(random() % 5000);
  if (random() % 3 == 0) {
    t.assignee_id = "erin";
    t.assignee_name = "Erin";
  }
  const SlaPolicy& policy = policy_of(config, t);
  const Duration limit = policy.response_limit(t.severity);
  const Duration interval = policy.repeat_interval(t.severity);
  Duration previous{}, next{};  // offsets from the clock's start
  const auto roll = random() % 10;
  if (roll < 5) {
    t.sla_stage = kNoStage;
    previous = 0ms;
    next = limit / 2;
  } else if (roll < 7) {
    t.sla_stage = 500;
    previous = limit / 2;
    next = limit * 4 / 5;
  } else if (roll < 8) {
    t.sla_stage = 800;
    previous = limit * 4 / 5;
    next = limit;
  } else {
    const int repeats = static_cast<int>(random() % 4);
    t.sla_stage = kBreachStage + repeats;
    t.escalation_level = std::min(kEscalationManager, 1 + repeats);
    previous = limit + interval * repeats;
    next = limit + interval * (repeats + 1);
  }
  // Nothing of this background comes due while the firing phase runs (it lasts seconds).
  const Duration gap = next - previous;
  const Duration min_lead = std::min<Duration>(gap, 120s);
  const auto span = static_cast<std::uint64_t>((gap - min_lead).count()) + 1;
  const Duration lead = min_lead + Duration(static_cast<std::int64_t>(random() % span));
  t.clock_started_at = now + lead - next;
  t.opened_at = t.clock_started_at;
  t.response_due_at = t.clock_started_at + limit;
  t.updated_at = now;
  return t;
}

// A fresh clock whose warn50 is due exactly at `due`.
Ticket due_at(const Config& config, TicketId id, Timestamp due, std::mt19937_64& random) {
  Ticket t = running_ticket(config, id, due, random);
  t.sla_stage = kNoStage;
  t.escalation_level = kEscalationEngineer;
  const Duration limit = policy_of(config, t).response_limit(t.severity);
  t.clock_started_at = t.opened_at = due - limit / 2;
  t.response_due_at = t.clock_started_at + limit;
  t.updated_at = t.opened_at;
  return t;
}

// Bulk INSERT into the real schema, in one transaction on a connection of our own; `make(i)`
// builds the i-th of `count` tickets (a million of them are not held at once).
void insert_tickets(const std::string& path, std::size_t count, const std::function<Ticket(std::size_t)>& make) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 5000);
  db.exec("PRAGMA synchronous = OFF");
  SQLite::Transaction transaction(db);
  SQLite::Statement insert(db,
                           "INSERT INTO tickets (id, tenant_id, sub_customer, title, severity, state, opened_by_id, "
                           "opened_by_name, assignee_id, assignee_name, escalation_level, opened_at, "
                           "clock_started_at, response_due_at, acked_at, acked_by_name, resolved_at, closed_at, "
                           "updated_at, sla_stage) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, NULL, '', "
                           "NULL, NULL, ?, ?)");
  for (std::size_t i = 0; i < count; ++i) {
    const Ticket t = make(i);
    insert.bind(1, t.id);
    insert.bind(2, t.tenant_id);
    insert.bind(3, t.sub_customer);
    insert.bind(4, t.title);
    insert.bind(5, t.severity);
    insert.bind(6, t.opened_by_id);
    insert.bind(7, t.opened_by_name);
    insert.bind(8, t.assignee_id);
    insert.bind(9, t.assignee_name);
    insert.bind(10, t.escalation_level);
    insert.bind(11, to_unix_ms(t.opened_at));
    insert.bind(12, to_unix_ms(t.clock_started_at));
    insert.bind(13, to_unix_ms(t.response_due_at));
    insert.bind(14, to_unix_ms(t.updated_at));
    insert.bind(15, t.sla_stage);
    insert.exec();
    insert.reset();
  }
  transaction.commit();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // On disk before anything is measured. With synchronous=OFF the checkpoint does not sync the
  // file, so the kernel would still hold ~200 MiB of its pages dirty, and the store's first
  // checkpoint, whose fdatasync flushes them, would stall the writer ~180 ms in the middle of the
  // spread (seen with strace): a cost of this setup, not of the bot, which never writes unsynced.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) throw std::runtime_error("cannot fsync " + path + ": " + std::strerror(errno));
  ::close(fd);
}

// The Store, with the time each ticket write became durable recorded: a write's completion runs
// after its COMMIT.
class TimingStore final : public ForwardingStore {
 public:
  struct Written {
    TicketId id;
    WriteOutcome::Kind kind;
    std::int64_t at_us;
  };

  explicit TimingStore(Store& inner) : ForwardingStore(inner) {}

  std::vector<Written> written() const {
    std::lock_guard lock(mutex_);
    return written_;
  }
  std::size_t written_count() const {
    std::lock_guard lock(mutex_);
    return written_.size();
  }

  void update_ticket(TicketId id, std::string tenant_scope, WriteContext context, Mutator decide,
                     WriteDone done) override {
    ForwardingStore::update_ticket(id, std::move(tenant_scope), std::move(context), std::move(decide),
                                   [this, id, done = std::move(done)](WriteOutcome outcome) {
                                     const std::int64_t at = system_now_us();
                                     {
                                       std::lock_guard lock(mutex_);
                                       written_.push_back({id, outcome.kind, at});
                                     }
                                     done(std::move(outcome));
                                   });
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Written> written_;
};

struct Lags {
  std::vector<double> ms;
  double percentile(double q) const {
    if (ms.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ms.size())));
    return ms[std::min(ms.size() - 1, rank == 0 ? 0 : rank - 1)];
  }
  std::size_t over(double limit_ms) const {
    return static_cast<std::size_t>(ms.end() - std::upper_bound(ms.begin(), ms.end(), limit_ms));
  }
  void sort() { std::sort(ms.begin(), ms.end()); }
};

void print_lags(const char* what, const char* set, Lags& lags) {
  lags.sort();
  std::printf("%-9s lag, %-6s %6zu stages: p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  later than 1 s: %zu\n", what, set,
              lags.ms.size(), lags.percentile(0.50), lags.percentile(0.99), lags.ms.empty() ? 0 : lags.ms.back(),
              lags.over(1000));
}

// The database's directory, removed with everything in it at scope end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device device;
    path = std::filesystem::temp_directory_path() / ("slabot-sla-bench-" + std::to_string(device()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

struct Options {
  std::size_t tickets = 1'000'000;
  std::size_t spread = 10'000;
  std::size_t burst = 10'000;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::size_t value = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--tickets") == 0) {
      o.tickets = value;
    } else if (std::strcmp(argv[i], "--spread") == 0) {
      o.spread = value;
    } else if (std::strcmp(argv[i], "--burst") == 0) {
      o.burst = value;
    } else {
      throw std::invalid_argument(std::string("unknown option ") + argv[i]);
    }
  }
  if (o.spread + o.burst > o.tickets) o.tickets = o.spread + o.burst;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "usage: sla_bench [--tickets N] [--spread N] [--burst N] (%s)\n", e.what());
    return 2;
  }
  const std::size_t firing = options.spread + options.burst;
  const std::size_t background = options.tickets - firing;
  // The log as serve writes it (app/main.cpp): to stderr, a line per stage fired, batched when
  // stderr is not a terminal.
  spdlog::set_default_logger(spdlog::stderr_color_mt("slabot"));
  const ServiceLog service_log;

  const TempDir dir;  // destroyed last, after the store has closed the file
  const std::string path = (dir.path / "sla.db").string();
  const Config config = bench_config(path);
  const SystemClock clock;

  std::printf("machine: %u cores, %s, load average %s\n", std::thread::hardware_concurrency(), cpu_model().c_str(),
              load_average().c_str());
  std::printf("database: %s (WAL, synchronous=FULL, max_batch %zu), in the OS file cache (just written)\n",
              path.c_str(), SqliteStoreOptions{}.max_batch);

  // Setup: the schema by SqliteStore's migrations, the rows by bulk INSERT.
  { SqliteStore migrate_only({path}); }
  std::mt19937_64 random(20261125);
  const auto seed_start = SteadyClock::now();
  {
    const Timestamp now = clock.now();
    insert_tickets(path, background,
                   [&](std::size_t i) { return running_ticket(config, static_cast<TicketId>(i + 1), now, random); });
  }
  std::printf(
      "seed:     %zu running clocks (4 tenants, 5 severities, next stages 2 min to 9 h ahead) by bulk "
      "INSERT via SQLiteCpp, not the Store API: %.1f s (setup, not a promised figure), file %.0f MiB\n",
      background, seconds_since(seed_start), static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0));

  SqliteStore sqlite({path});
  TimingStore store(sqlite);
  LiveConfig live_config(config);
  SlaScheduler scheduler(live_config, store, clock);

  // Start-up: load() with everything the process had before it released.
  release_free_memory();
  const bool peak_reset = reset_peak_rss();
  const long rss_before = status_kib("VmRSS");
  const std::size_t heap_before = heap_in_use();
  const auto load_start = SteadyClock::now();
  const std::size_t loaded = scheduler.load();
  const double load_seconds = seconds_since(load_start);
  const long rss_after = status_kib("VmRSS");
  const long hwm_after = status_kib("VmHWM");
  const std::size_t heap_after = heap_in_use();
  std::printf("load:     %zu running clocks queued by SlaScheduler::load() in %.2f s (%.0f tickets/s)\n", loaded,
              load_seconds, static_cast<double>(loaded) / load_seconds);
  std::printf("memory:   VmRSS %.1f MiB before load, %.1f MiB after (+%.1f MiB, %.1f bytes per queued ticket)\n",
              mib(rss_before), mib(rss_after), mib(rss_after - rss_before),
              static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(loaded));
  std::printf("memory:   VmHWM %.1f MiB during load (%s); heap in use +%.1f MiB (%.1f bytes per queued ticket)\n",
              mib(hwm_after), peak_reset ? "peak reset before load" : "peak NOT reset: includes the seeding",
              static_cast<double>(heap_after - heap_before) / (1024.0 * 1024.0),
              static_cast<double>(heap_after - heap_before) / static_cast<double>(loaded));

  // The read alone, for where load()'s time goes.
  {
    std::size_t rows = 0;
    const auto scan_start = SteadyClock::now();
    sqlite.for_each_running_clock([&rows](const Ticket&) { ++rows; });
    std::printf("load:     of which the store's read (for_each_running_clock alone, %zu rows): %.2f s\n", rows,
                seconds_since(scan_start));
  }

  // Firing: tickets whose warn50 comes due 2-5 s after the driver starts, then a burst all due at
  // one instant 6 s after; written like the rest, and queued by watch() as a changed ticket is.
  const TicketId first_firing = static_cast<TicketId>(background + 1);
  std::vector<std::int64_t> due_ms(firing);
  {
    const auto anchor = clock.now();
    const Timestamp burst_at = anchor + 6s;
    std::vector<Ticket> tickets;
    tickets.reserve(firing);
    for (std::size_t i = 0; i < firing; ++i) {
      const Timestamp due =
          i < options.spread
              ? anchor + 2s + Duration(static_cast<std::int64_t>(3000 * i / std::max<std::size_t>(options.spread, 1)))
              : burst_at;
      tickets.push_back(due_at(config, first_firing + static_cast<TicketId>(i), due, random));
      due_ms[i] = to_unix_ms(next_stage(policy_of(config, tickets.back()), tickets.back()).at);
    }
    insert_tickets(path, tickets.size(), [&tickets](std::size_t i) { return tickets[i]; });
    for (const Ticket& t : tickets) scheduler.watch(t);
    const double setup = std::chrono::duration<double>(clock.now() - anchor).count();
    std::printf(
        "fire:     %zu stages due 2-5 s after start, then %zu due at one instant 6 s after; "
        "queued %zu (setup took %.2f s of the 2 s lead)\n",
        options.spread, options.burst, scheduler.queued(), setup);
  }
  const std::int64_t burst_due_ms = firing > options.spread ? due_ms[options.spread] : 0;
  const std::size_t batches_before = sqlite.batches_committed();
  const double cpu_before = cpu_seconds();
  const auto threads_before = thread_cpu_seconds();
  const auto fire_start = SteadyClock::now();
  scheduler.start();
  const auto give_up = SteadyClock::now() + 6s + 120s;
  for (;;) {
    std::this_thread::sleep_for(50ms);
    const auto written = store.written();
    std::size_t done = 0;
    for (const auto& w : written) {
      if (w.id >= first_firing && w.kind == WriteOutcome::Kind::applied) ++done;
    }
    if (done >= firing || SteadyClock::now() > give_up) break;
  }
  scheduler.stop();
  scheduler.wait_idle();
  const double fire_wall = seconds_since(fire_start);
  const double fire_cpu = cpu_seconds() - cpu_before;
  const auto threads_after = thread_cpu_seconds();
  const std::size_t batches = sqlite.batches_committed() - batches_before;

  // Durable: the write's completion after its COMMIT. Picked: the time fire_due decided (the
  // activity row's `at`), read back from the store.
  Lags spread_durable, burst_durable, spread_picked, burst_picked;
  std::size_t others = 0, not_applied = 0;
  std::int64_t burst_last_us = 0;
  for (const auto& w : store.written()) {
    if (w.id < first_firing) {
      ++others;
      continue;
    }
    if (w.kind != WriteOutcome::Kind::applied) {
      ++not_applied;
      continue;
    }
    const auto index = static_cast<std::size_t>(w.id - first_firing);
    const double lag = static_cast<double>(w.at_us - due_ms[index] * 1000) / 1000.0;
    (index < options.spread ? spread_durable : burst_durable).ms.push_back(lag);
    if (index >= options.spread) burst_last_us = std::max(burst_last_us, w.at_us);
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement select(db, "SELECT ticket_id, at FROM activity WHERE ticket_id >= ? AND action LIKE 'sla %'");
    select.bind(1, first_firing);
    while (select.executeStep()) {
      const auto index = static_cast<std::size_t>(select.getColumn(0).getInt64() - first_firing);
      const double lag = static_cast<double>(select.getColumn(1).getInt64() - due_ms[index]);
      (index < options.spread ? spread_picked : burst_picked).ms.push_back(lag);
    }
  }
  print_lags("durable", "spread", spread_durable);
  print_lags("durable", "burst", burst_durable);
  print_lags("picked", "spread", spread_picked);
  print_lags("picked", "burst", burst_picked);
  if (options.burst > 0 && burst_last_us > 0) {
    const double burst_seconds = static_cast<double>(burst_last_us - burst_due_ms * 1000) / 1e6;
    std::printf("fire:     burst of %zu stages durable %.2f s after their due time: %.0f stages/s\n",
                burst_durable.ms.size(), burst_seconds, static_cast<double>(burst_durable.ms.size()) / burst_seconds);
  }
  std::printf(
      "fire:     %zu transactions (%.1f stages each); process CPU %.2f s over %.2f s wall (%.0f stages per "
      "CPU second)\n",
      batches, static_cast<double>(firing) / static_cast<double>(std::max<std::size_t>(batches, 1)), fire_cpu,
      fire_wall, static_cast<double>(firing) / fire_cpu);
  // Per thread, what bounds the burst: the writer decides and writes every stage alone.
  std::printf("fire:     CPU per stage by thread:");
  for (const auto& [name, after] : threads_after) {
    const auto before = threads_before.find(name);
    const double used = after - (before == threads_before.end() ? 0.0 : before->second);
    if (used >= 0.001) std::printf(" %s %.1f us", name.c_str(), used * 1e6 / static_cast<double>(firing));
  }
  std::printf("\n");
  std::printf(
      "fire:     %zu outbox rows queued, %zu writes of other tickets (expected 0), %zu not applied "
      "(expected 0), %zu of %zu stages written; %zu still queued, VmRSS %.1f MiB\n",
      sqlite.count_outbox(OutboxQuery::all), others, not_applied, spread_durable.ms.size() + burst_durable.ms.size(),
      firing, scheduler.queued(), mib(status_kib("VmRSS")));
  return 0;
}
