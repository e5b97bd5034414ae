#include "tests/e2e/e2e_fixture.hpp"

#include "tests/support/store_sync.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>

namespace slabot::e2e {
namespace {

using namespace std::chrono_literals;

testing::FakePeerOptions tls_peer(const std::vector<std::string>& platform_hosts) {
  testing::FakePeerOptions options;
  options.certificate = platform_hosts.empty() ? test_ca().issue_localhost()
                                               : test_ca().issue(platform_hosts.front(), platform_hosts, {"127.0.0.1"});
  return options;
}

Config platform_config(const PlatformSetup& setup, const std::string& database, const testing::FakeHttpsPeer& peer) {
  Config c;
  c.database_path = database;
  c.bot_name = setup.bot_name;
  c.tenants = {{"acme", "Acme", Package::premium}};
  c.staff = {{"erin", "Erin", Role::engineer, {{setup.adapter, setup.engineer_id}}}};
  Connection connection;
  connection.name = setup.adapter;
  connection.adapter = setup.adapter;
  connection.secrets = setup.secrets;
  if (!setup.outbound_path.empty()) connection.outbound_url = peer.url(setup.outbound_path);
  c.connections = {connection};
  c.channels = {{setup.adapter, setup.chat_id, "acme"}};
  if (!setup.channel_outbound_path.empty()) c.channels[0].outbound_url = peer.url(setup.channel_outbound_path);
  return c;
}

}  // namespace

const testing::TestCa& test_ca() {
  static const testing::TestCa ca("slabot e2e test CA");
  return ca;
}

PlatformBot::PlatformBot(const PlatformSetup& setup)
    : peer(tls_peer(setup.platform_hosts)),
      config(platform_config(setup, dir.file("e2e.db"), peer)),
      store({config.database_path}),
      dispatcher(live_config, store, clock),
      adapter(make_adapter(config.connections.at(0))),
      server(HttpServerOptions{}, {{config.connections.at(0).name, WebhookRoute{adapter}}}, dispatcher, clock,
             [this] { return store.healthy(); }),
      port(server.start()),
      via_proxy(!setup.platform_hosts.empty()) {}

testing::HttpResult PlatformBot::post(const std::map<std::string, std::string>& headers, const std::string& body,
                                      const std::string& query, const std::string& method) const {
  return testing::http_request(port, method, "/hooks/" + connection() + query, headers, body);
}

void PlatformBot::start_outbox() {
  if (outbox) throw std::logic_error("start_outbox called twice");
  const std::string ca_file = dir.file("test-ca.pem");
  std::ofstream(ca_file) << test_ca().cert_pem();
  HttpClientOptions options;
  options.ca_file = ca_file;
  if (via_proxy) {
    proxy = std::make_unique<RedirectProxy>(peer.port());
    options.https_proxy = proxy->url();
    options.no_proxy = "127.0.0.1";
  } else {
    options.no_proxy = "*";  // never a proxy from the environment: everything stays on loopback
  }
  options.connect_timeout = 3s;
  options.read_timeout = 3s;
  options.total_timeout = 5s;
  http = std::make_unique<BeastHttpClient>(options);
  std::map<std::string, OutboxRoute> routes{{connection(), OutboxRoute{adapter, adapter->rate_limit()}}};
  outbox = std::make_unique<OutboxWorker>(store, clock, *http, std::move(routes), config.outbox, [] { return 0.5; });
  outbox->start();
}

void PlatformBot::enqueue(OutboundMessage message, Lane lane) {
  static int sequence = 0;
  OutboxItem item{std::move(message), lane, "e2e:" + std::to_string(++sequence)};
  const auto outcome = testing::wait_for([&](WriteDone done) { store.enqueue({item}, clock.now(), std::move(done)); });
  if (outcome.kind != WriteOutcome::Kind::applied) throw std::runtime_error("enqueue: not stored");
}

bool PlatformBot::wait_for_platform(std::size_t count, std::chrono::milliseconds limit) const {
  return peer.wait_for_requests(count, limit);
}

std::size_t PlatformBot::outbox_pending() {
  if (outbox) outbox->wait_idle();
  return store.count_outbox(OutboxQuery::pending);
}

bool PlatformBot::deliver(std::size_t count) {
  if (!outbox) start_outbox();
  return wait_for_platform(count) && outbox_pending() == 0 && peer.requests().size() == count;
}

std::string percent_encode(const std::string& text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', digits[c >> 4], digits[c & 0x0f]};
    }
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    std::string encoded = percent_encode(value);
    for (std::size_t at = encoded.find("%20"); at != std::string::npos; at = encoded.find("%20", at + 1)) {
      encoded.replace(at, 3, "+");
    }
    body += (body.empty() ? "" : "&") + percent_encode(name) + "=" + encoded;
  }
  return body;
}

std::string aes256_cbc_encrypt(const std::string& key, const std::string& iv, const std::string& plain,
                               bool pkcs7_padding) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!context || key.size() != 32 || iv.size() != 16 ||
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                         reinterpret_cast<const unsigned char*>(iv.data())) != 1 ||
      EVP_CIPHER_CTX_set_padding(context.get(), pkcs7_padding ? 1 : 0) != 1) {
    throw std::runtime_error("AES-256-CBC setup failed");
  }
  std::string out(plain.size() + 16, '\0');
  int written = 0;
  int last = 0;
  if (EVP_EncryptUpdate(context.get(), reinterpret_cast<unsigned char*>(out.data()), &written,
                        reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), reinterpret_cast<unsigned char*>(out.data()) + written, &last) != 1) {
    throw std::runtime_error("AES-256-CBC encryption failed");
  }
  out.resize(static_cast<std::size_t>(written + last));
  return out;
}

}  // namespace slabot::e2e
