/* The moderation desk: a card's buttons decide in place (no page load), and the keyboard moves
   through the cards: j next, k previous, a approve, r reject. Without this script the buttons
   post the form and the page comes back. */
(function () {
  "use strict";
  const desk = document.querySelector("[data-desk]");
  if (!desk) return;
  let current = 0;

  const open = () => Array.from(desk.querySelectorAll(".desk-card:not(.desk-done)"));

  function focus(index) {
    const cards = open();
    desk.querySelectorAll(".desk-current").forEach((card) => card.classList.remove("desk-current"));
    if (!cards.length) return;
    current = Math.max(0, Math.min(index, cards.length - 1));
    const card = cards[current];
    card.classList.add("desk-current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  async function decide(card, decision) {
    const form = card.querySelector("form.desk-decide");
    const status = card.querySelector(".desk-status");
    const buttons = form.querySelectorAll("button");
    const body = new FormData(form);
    body.set("decision", decision);
    buttons.forEach((button) => { button.disabled = true; });
    let message;
    let ok = false;
    try {
      const response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      message = (await response.json()).message;
      ok = response.ok || response.status === 409; // 409: decided meanwhile, nothing to do here
    } catch (error) {
      message = desk.dataset.offline || String(error);
    }
    status.textContent = message;
    card.classList.toggle("desk-failed", !ok);
    if (!ok) {
      buttons.forEach((button) => { button.disabled = false; });
      return;
    }
    const wasCurrent = open().indexOf(card);
    card.classList.add("desk-done");
    const count = card.closest(".desk-section").querySelector("[data-count]");
    count.textContent = Math.max(0, Number(count.textContent) - 1);
    focus(wasCurrent >= 0 ? wasCurrent : current);
  }

  desk.addEventListener("submit", (event) => {
    const card = event.target.closest(".desk-card");
    if (!card || !event.submitter) return;
    event.preventDefault();
    current = Math.max(0, open().indexOf(card));
    decide(card, event.submitter.value);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
    const card = open()[current];
    if (event.key === "j") focus(current + 1);
    else if (event.key === "k") focus(current - 1);
    else if ((event.key === "a" || event.key === "r") && card && !card.querySelector("button:disabled")) {
      decide(card, event.key === "a" ? "approve" : "reject");
    } else return;
    event.preventDefault();
  });

  focus(0);
})();
