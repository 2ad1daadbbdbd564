// Shared helpers of the citizen portal pages (no framework, no build step).
"use strict";

const Portal = {
  /** An element with attributes and children (strings become text: never HTML). */
  el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  },

  /** An API time (ISO 8601; one without a zone is UTC) as a Date. */
  parseDate(iso) {
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z");
  },

  /** A date and time in Vietnam's time zone, e.g. "08:30 01/07/2025". */
  formatDateTime(iso) {
    if (!iso) return "";
    const date = Portal.parseDate(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleString("vi-VN", {
      timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
      day: "2-digit", month: "2-digit", year: "numeric",
    });
  },

  /** "2 phút 5 giây" for a wait in seconds. */
  formatWait(seconds) {
    const s = Math.max(1, Math.ceil(Number(seconds) || 0));
    const minutes = Math.floor(s / 60), rest = s % 60;
    if (!minutes) return `${rest} giây`;
    return rest ? `${minutes} phút ${rest} giây` : `${minutes} phút`;
  },

  /** The API's error ({"error": {status, code, message}}) of a failed response. */
  async errorOf(response) {
    let error = { status: response.status, code: "", message: "" };
    try {
      const body = await response.json();
      if (body && body.error) error = { ...error, ...body.error };
    } catch (_) { /* not JSON: a proxy's error page */ }
    error.retryAfter = Number(response.headers.get("Retry-After")) || null;
    return error;
  },

  /** Show one message (kind: error | warn | info) in #message, or clear it. */
  say(kind, text) {
    const box = document.getElementById("message");
    box.replaceChildren();
    if (text) box.append(Portal.el("p", { class: `alert alert-${kind}` }, text));
  },

  NETWORK_ERROR: "Không kết nối được tới máy chủ. Vui lòng kiểm tra kết nối mạng và thử lại.",
  SERVER_ERROR: "Hệ thống đang bận hoặc gặp sự cố. Vui lòng thử lại sau ít phút.",
};
