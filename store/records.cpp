#include "store/records.hpp"

#include <array>
#include <stdexcept>

#include "store/connection.hpp"

namespace ispd::store {

namespace {

// Names in the enums' order; the schema's CHECK constraints use the same words.
constexpr std::array<std::string_view, 5> kInboundStates = {"received", "processed", "attention", "returned",
                                                            "ignored"};
constexpr std::array<std::string_view, 3> kNotificationStatuses = {"open", "rescinded", "closed"};
constexpr std::array<std::string_view, 4> kListedStatuses = {"open", "overdue", "rescinded", "closed"};
constexpr std::array<std::string_view, 18> kEventKinds = {
    "received", "processed",         "returned", "attention", "ignored", "logged",
    "updated",  "provider_response", "extended", "rescinded", "closed",  "duplicate_suspected",
    "chaser",   "mail_failed",       "bounced",  "erased",    "report",  "alert"};
constexpr std::array<std::string_view, 9> kOutboxKinds = {
    "acknowledgement", "returned", "circulation", "attention", "log", "chaser", "digest", "spreadsheet", "alert"};
constexpr std::array<std::string_view, 4> kOutboxStates = {"pending", "sending", "sent", "failed"};
constexpr std::array<std::string_view, 5> kDeliveryStates = {"pending", "accepted", "deferred", "rejected", "bounced"};

static_assert(kInboundStates.size() == static_cast<std::size_t>(InboundState::ignored) + 1);
static_assert(kNotificationStatuses.size() == static_cast<std::size_t>(NotificationStatus::closed) + 1);
static_assert(kListedStatuses.size() == static_cast<std::size_t>(ListedStatus::closed) + 1);
static_assert(kEventKinds.size() == static_cast<std::size_t>(EventKind::alert) + 1);
static_assert(kOutboxKinds.size() == static_cast<std::size_t>(OutboxKind::alert) + 1);
static_assert(kOutboxStates.size() == static_cast<std::size_t>(OutboxState::failed) + 1);
static_assert(kDeliveryStates.size() == static_cast<std::size_t>(DeliveryState::bounced) + 1);

template <class E, std::size_t N>
std::optional<E> find(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Text the schema let in but this code cannot read is a broken invariant.
template <class E, std::size_t N>
E read(const std::array<std::string_view, N>& names, std::string_view text, const char* what) {
  if (auto value = find<E>(names, text)) return *value;
  throw std::runtime_error(std::string("store: unknown ") + what + " \"" + std::string(text) + "\"");
}

}  // namespace

std::string_view to_string(InboundState state) { return kInboundStates.at(static_cast<std::size_t>(state)); }
std::string_view to_string(NotificationStatus status) {
  return kNotificationStatuses.at(static_cast<std::size_t>(status));
}
std::string_view to_string(ListedStatus status) { return kListedStatuses.at(static_cast<std::size_t>(status)); }
std::string_view to_string(EventKind kind) { return kEventKinds.at(static_cast<std::size_t>(kind)); }
std::string_view to_string(OutboxKind kind) { return kOutboxKinds.at(static_cast<std::size_t>(kind)); }
std::string_view to_string(OutboxState state) { return kOutboxStates.at(static_cast<std::size_t>(state)); }
std::string_view to_string(DeliveryState state) { return kDeliveryStates.at(static_cast<std::size_t>(state)); }

std::optional<ListedStatus> listed_status_from_string(std::string_view text) {
  return find<ListedStatus>(kListedStatuses, text);
}

ListedStatus listed_status(const Notification& notification, Date today) {
  switch (notification.status) {
    case NotificationStatus::rescinded: return ListedStatus::rescinded;
    case NotificationStatus::closed: return ListedStatus::closed;
    case NotificationStatus::open: break;
  }
  const bool overdue =
      notification.review_date && std::chrono::sys_days{*notification.review_date} < std::chrono::sys_days{today};
  return overdue ? ListedStatus::overdue : ListedStatus::open;
}

std::vector<std::string> OutboxRow::undelivered() const {
  std::vector<std::string> out;
  for (const auto& d : deliveries) {
    if (d.state == DeliveryState::pending || d.state == DeliveryState::deferred) out.push_back(d.recipient);
  }
  return out;
}

namespace detail {

InboundState inbound_state_from_text(std::string_view text) {
  return read<InboundState>(kInboundStates, text, "inbound state");
}
NotificationStatus notification_status_from_text(std::string_view text) {
  return read<NotificationStatus>(kNotificationStatuses, text, "notification status");
}
EventKind event_kind_from_text(std::string_view text) { return read<EventKind>(kEventKinds, text, "event kind"); }
OutboxKind outbox_kind_from_text(std::string_view text) { return read<OutboxKind>(kOutboxKinds, text, "mail kind"); }
OutboxState outbox_state_from_text(std::string_view text) {
  return read<OutboxState>(kOutboxStates, text, "outbox state");
}
DeliveryState delivery_state_from_text(std::string_view text) {
  return read<DeliveryState>(kDeliveryStates, text, "delivery state");
}

Stage stage_from_text(std::string_view text) {
  for (Stage s : {Stage::issue, Stage::provider_response, Stage::rescind}) {
    if (ispd::to_string(s) == text) return s;
  }
  throw std::runtime_error("store: unknown stage \"" + std::string(text) + "\"");
}

std::optional<Confidentiality> confidentiality_from_text(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  for (Confidentiality c : {Confidentiality::restricted, Confidentiality::confidential, Confidentiality::internal}) {
    if (ispd::to_string(c) == *text) return c;
  }
  throw std::runtime_error("store: unknown confidentiality \"" + *text + "\"");
}

}  // namespace detail

}  // namespace ispd::store
