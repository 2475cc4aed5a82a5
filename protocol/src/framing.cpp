#include "fimlsp/protocol/framing.hpp"
#include <algorithm>
#include <charconv>

namespace fimlsp::protocol {
namespace {

// A header block longer than this without its blank line is garbage, not a header.
constexpr std::size_t kMaxHeaderBlock = 8 * 1024;
constexpr std::string_view kContentLength = "content-length:";
constexpr std::string_view kEndOfHeader = "\r\n\r\n";

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool same_letters(char a, char b) {
  return lower(a) == lower(b);
}
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_letters);
}
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  auto it = std::search(hay.begin() + from, hay.end(), needle.begin(), needle.end(), same_letters);
  return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// The charset parameter of a Content-Type value, lower-case and unquoted; "" when absent.
std::string charset_of(std::string_view content_type) {
  for (auto semi = content_type.find(';'); semi != std::string_view::npos;) {
    content_type.remove_prefix(semi + 1);
    semi = content_type.find(';');
    auto param = trim(content_type.substr(0, semi));
    auto eq = param.find('=');
    if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "charset")) continue;
    auto value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    std::string out(value);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
  }
  return "";
}

} // namespace

FrameReader::FrameReader(LogFn log, std::size_t max_content_length)
    : log_(std::move(log)), max_length_(max_content_length) {}

void FrameReader::feed(std::string_view bytes) {
  buffer_.append(bytes);
  parse();
}

std::optional<std::string> FrameReader::next() {
  if (ready_.empty()) return std::nullopt;
  std::string body = std::move(ready_.front());
  ready_.pop_front();
  return body;
}

// Consumed bytes are dropped once per call, so many messages in one read cost linear time.
void FrameReader::parse() {
  std::size_t pos = 0; // start of the unconsumed part of buffer_
  for (bool progress = true; progress;) {
    std::string_view rest = std::string_view(buffer_).substr(pos);
    progress = false;
    switch (state_) {
    case State::Header: {
      auto end = rest.find(kEndOfHeader, scanned_);
      if (end == std::string_view::npos && rest.size() <= kMaxHeaderBlock) {
        scanned_ = rest.size() >= kEndOfHeader.size() ? rest.size() - (kEndOfHeader.size() - 1) : 0;
        break;
      }
      progress = true;
      if (end == std::string_view::npos || end > kMaxHeaderBlock) {
        reject("no end of header within " + std::to_string(kMaxHeaderBlock) + " bytes");
      } else if (parse_header_block(rest.substr(0, end))) {
        pos += end + kEndOfHeader.size();
        state_ = State::Body;
      }
      scanned_ = state_ == State::Resync ? 1 : 0; // resync past the rejected block's first byte
      break;
    }
    case State::Body:
      if (rest.size() < body_length_) break;
      ready_.emplace_back(rest.substr(0, body_length_));
      pos += body_length_;
      state_ = State::Header;
      progress = true;
      break;
    case State::Resync: {
      auto at = ifind(rest, kContentLength, std::min(scanned_, rest.size()));
      if (at == std::string_view::npos) {
        // Drop the garbage, keeping only a tail that may be the start of the next header.
        auto keep = std::min(rest.size(), kContentLength.size() - 1);
        pos += rest.size() - keep;
        scanned_ = 0;
        break;
      }
      pos += at;
      scanned_ = 0;
      state_ = State::Header;
      progress = true;
      break;
    }
    }
  }
  buffer_.erase(0, pos);
}

// Reads the block's headers into body_length_; on a bad block logs and switches to Resync.
bool FrameReader::parse_header_block(std::string_view block) {
  std::optional<std::size_t> length;
  while (!block.empty()) {
    auto eol = block.find("\r\n");
    auto line = block.substr(0, eol);
    block.remove_prefix(eol == std::string_view::npos ? block.size() : eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return reject("malformed header line"), false;
    auto name = trim(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec == std::errc::result_out_of_range || (ec == std::errc() && n > max_length_))
        return reject("Content-Length " + std::string(value.substr(0, 32)) + " is over the limit of " +
                      std::to_string(max_length_) + " bytes"),
               false;
      if (ec != std::errc() || end != value.data() + value.size() || (length && *length != n))
        return reject("bad Content-Length value '" + std::string(value.substr(0, 32)) + "'"), false;
      length = n;
    } else if (iequals(name, "Content-Type")) {
      // We only speak UTF-8; another charset is logged, and the body is still read as UTF-8.
      auto charset = charset_of(value);
      if (!charset.empty() && charset != "utf-8" && charset != "utf8" && log_)
        log_("framing: unsupported charset '" + charset + "', reading the body as UTF-8");
    }
  }
  if (!length) return reject("header block without Content-Length"), false;
  body_length_ = *length;
  return true;
}

void FrameReader::reject(const std::string& why) {
  if (log_) log_("framing: " + why + "; skipping to the next Content-Length header");
  state_ = State::Resync;
}

std::string frame(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

} // namespace fimlsp::protocol
