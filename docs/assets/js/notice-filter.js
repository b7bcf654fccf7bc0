// The list of notices (/notices/): filter by audience, topic, status and year. Without this
// script every notice is listed; the choices live only in the page (nothing is stored or sent).
(() => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("notice-filters"));
  if (!form) return;
  const items = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".notice-list > li")]);
  const count = document.getElementById("notice-count");
  const none = document.getElementById("notice-none");
  const fields = ["audience", "topic", "state", "year"];

  function apply() {
    const chosen = Object.fromEntries(fields.map((f) => [f, form.elements[f].value]));
    let shown = 0;
    for (const li of items) {
      const fits = fields.every((f) => chosen[f] === "*"
        || (f === "year" || f === "state" ? li.dataset[f] === chosen[f] : li.dataset[f].split(" ").includes(chosen[f])));
      li.hidden = !fits;
      if (fits) shown += 1;
    }
    count.textContent = count.dataset.template.replace("{shown}", String(shown)).replace("{total}", String(items.length));
    none.hidden = shown > 0;
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  apply();
})();
