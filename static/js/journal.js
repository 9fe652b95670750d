/* The journal grid: keyboard entry, each cell saved as it is left.
 *
 * Type 5, 4, н, «о 5»…; Enter moves down, Shift+Enter up, arrows and Tab between cells.
 * A cell is posted to its own URL when its value changes; a refused value stays in the cell,
 * marked, with the server's message; a locked record asks for the reason of a correction.
 * A save the server could not answer (no network, a 503 while the database restarts) keeps
 * the typed value in its cell marked «не сохранено» and is sent again every few seconds
 * until it is saved; leaving the page meanwhile asks first.
 * Without this script the grid is a plain form posted whole.
 */
(function () {
  "use strict";
  var form = document.getElementById("grid-form");
  var table = document.getElementById("grid");
  if (!form || !table) return;
  var editable = form.dataset.editable === "1";
  var cellUrl = form.dataset.cellUrl;
  var historyUrl = form.dataset.historyUrl;
  var msg = document.getElementById("grid-msg");
  var heads = table.tHead.rows[1].cells; // one per column
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  document.documentElement.classList.add("js");

  function say(text, bad) {
    msg.textContent = text || "";
    msg.classList.toggle("bad", !!bad);
  }

  function parts(input) {
    var m = /^c(\d+)_(\d+)_(\d+)$/.exec(input.name);
    return m ? { lesson: m[1], pupil: m[2], column: m[3] } : null;
  }

  function urlFor(template, lesson, pupil) {
    return template.replace("{l}", lesson).replace("{p}", pupil);
  }

  // --- Today's column in view ---------------------------------------------------------------
  // On a phone the grid would open at the period's first lesson, weeks before today.
  var wrap = table.parentNode;
  var now = table.tHead.querySelector("th.now");
  if (now && wrap.scrollWidth > wrap.clientWidth) {
    var right = now.offsetLeft + now.offsetWidth;
    wrap.scrollLeft = Math.max(0, right - wrap.clientWidth + 8);
  }

  // --- History: one click from any cell ------------------------------------------------------
  // The link sits above the grid (not over the next cell), naming the cell it is about.
  var tools = document.getElementById("cell-tools");
  var link = document.getElementById("cell-history");
  var which = document.getElementById("cell-which");

  function cellName(key) {
    var row = table.querySelector("tr[data-p='" + key.pupil + "'] th.who");
    var day = document.getElementById("l" + key.lesson);
    return (row ? row.textContent : "") + ", " + (day ? day.firstChild.textContent : "");
  }

  function cellKey(td) {
    var input = td.querySelector("input");
    if (input) return parts(input);
    var tr = td.parentNode;
    var index = td.cellIndex - 2;
    if (index < 0 || index >= heads.length || td.classList.contains("out")) return null;
    var lesson = heads[index].dataset.l;
    return lesson ? { lesson: lesson, pupil: tr.dataset.p } : null;
  }

  function showHistory(td) {
    var key = cellKey(td);
    if (!key || !tools) { if (tools) tools.hidden = true; return; }
    link.href = urlFor(historyUrl, key.lesson, key.pupil);
    which.textContent = cellName(key);
    tools.hidden = false;
  }

  table.addEventListener("click", function (event) {
    var td = event.target.closest("td");
    if (!td || !table.tBodies[0].contains(td)) return;
    if (!td.querySelector("input")) {
      var key = cellKey(td);
      if (key && td.textContent.trim()) window.location.href = urlFor(historyUrl, key.lesson, key.pupil);
    }
  });

  // The row's average after a save comes from the server (grading.services.averages): the
  // weighted average is defined once, not again here.
  function showAverage(tr, text) {
    if (typeof text === "string") tr.cells[tr.cells.length - 1].textContent = text;
  }

  if (!editable) return;

  // --- Moving around --------------------------------------------------------------------------
  function inputAt(tr, index) {
    if (!tr) return null;
    var td = tr.cells[index];
    return td ? td.querySelector("input") : null;
  }

  function moveVertical(input, step) {
    var td = input.parentNode, tr = td.parentNode, index = td.cellIndex;
    var rows = tr.parentNode.rows, r = tr.sectionRowIndex + step;
    while (r >= 0 && r < rows.length) {
      var next = inputAt(rows[r], index);
      if (next) { next.focus(); return; }
      r += step;
    }
  }

  function moveHorizontal(input, step) {
    var td = input.parentNode, tr = td.parentNode, i = td.cellIndex + step;
    while (i >= 0 && i < tr.cells.length) {
      var next = inputAt(tr, i);
      if (next) { next.focus(); return; }
      i += step;
    }
  }

  table.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") return;
    input.select();
    showHistory(input.parentNode);
  });

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") return;
    var all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    if (event.key === "Enter" || event.key.indexOf("Arrow") === 0) commit(input);
    switch (event.key) {
      case "Enter":
        event.preventDefault();
        moveVertical(input, event.shiftKey ? -1 : 1);
        break;
      case "ArrowDown":
        event.preventDefault();
        moveVertical(input, 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        moveVertical(input, -1);
        break;
      case "ArrowRight":
        if (all || input.selectionEnd === input.value.length) {
          event.preventDefault();
          moveHorizontal(input, 1);
        }
        break;
      case "ArrowLeft":
        if (all || input.selectionStart === 0) {
          event.preventDefault();
          moveHorizontal(input, -1);
        }
        break;
      case "Escape":
        input.value = input.defaultValue;
        unrefuse(input);
        say("");
        break;
    }
  });

  // --- Refused cells ----------------------------------------------------------------------------
  // Every refused cell keeps its value and its own message, in the cell and in the list
  // beneath the grid, until it is saved or put back (Esc); kept for the tab's session, so a
  // reload does not lose them.
  var refusedBox = document.getElementById("grid-refused");
  var storeKey = "grid-refused:" + window.location.pathname;
  var refused = {};
  try { refused = JSON.parse(window.sessionStorage.getItem(storeKey) || "{}") || {}; } catch (e) { refused = {}; }

  function store() {
    try {
      if (Object.keys(refused).length) window.sessionStorage.setItem(storeKey, JSON.stringify(refused));
      else window.sessionStorage.removeItem(storeKey);
    } catch (e) { /* private mode: the marks stay on the page */ }
  }

  function showRefused() {
    if (!refusedBox) return;
    var list = refusedBox.querySelector("ul");
    list.textContent = "";
    Object.keys(refused).forEach(function (name) {
      var input = form.querySelector("input[name='" + name + "']");
      if (!input) return;
      var item = document.createElement("li");
      var go = document.createElement("button");
      go.type = "button";
      go.className = "secondary";
      go.textContent = cellName(parts(input));
      go.addEventListener("click", function () { input.focus(); });
      item.appendChild(go);
      item.appendChild(document.createTextNode(": «" + refused[name].value + "» — " + refused[name].message));
      list.appendChild(item);
    });
    refusedBox.hidden = !list.children.length;
  }

  function refuse(input, text) {
    var td = input.parentNode;
    td.classList.add("err");
    input.setAttribute("aria-invalid", "true");
    input.title = text;
    var note = td.querySelector(".cell-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "cell-note";
      td.appendChild(note);
    }
    note.textContent = text;
    refused[input.name] = { value: input.value, message: text };
    store();
    showRefused();
  }

  function unrefuse(input) {
    var td = input.parentNode;
    var note = td.querySelector(".cell-note");
    if (note) note.parentNode.removeChild(note);
    td.classList.remove("err");
    input.removeAttribute("aria-invalid");
    input.title = "";
    if (refused[input.name]) {
      delete refused[input.name];
      store();
      showRefused();
    }
  }

  // After a reload: what was refused is typed back into its cell, marked again.
  Object.keys(refused).forEach(function (name) {
    var input = form.querySelector("input[name='" + name + "']");
    if (!input || refused[name].value === input.defaultValue) { delete refused[name]; return; }
    input.value = refused[name].value;
    refuse(input, refused[name].message);
  });
  store();
  showRefused();

  // --- Saving ---------------------------------------------------------------------------------
  var queue = Promise.resolve();
  var RETRY_MS = 5000;
  var unsaved = []; // inputs whose value the server has not taken yet
  var retryTimer = null;

  function markUnsaved(input, text) {
    var td = input.parentNode;
    td.classList.remove("saving");
    td.classList.add("err", "unsaved");
    input.setAttribute("aria-invalid", "true");
    input.title = text;
    if (!td.querySelector(".unsaved-note")) {
      var note = document.createElement("span");
      note.className = "unsaved-note";
      note.textContent = "не сохранено";
      td.appendChild(note);
    }
    if (unsaved.indexOf(input) < 0) unsaved.push(input);
    say(text + " Введённое осталось в клетке и будет отправлено снова.", true);
    if (!retryTimer) retryTimer = window.setTimeout(retryUnsaved, RETRY_MS);
  }

  function clearUnsaved(input) {
    var note = input.parentNode.querySelector(".unsaved-note");
    if (note) note.parentNode.removeChild(note);
    input.parentNode.classList.remove("unsaved");
    var at = unsaved.indexOf(input);
    if (at >= 0) unsaved.splice(at, 1);
  }

  function retryUnsaved() {
    retryTimer = null;
    unsaved.slice().forEach(function (input) {
      if (input.value === input.defaultValue) clearUnsaved(input);
      else commit(input);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (!unsaved.length) return;
    event.preventDefault();
    event.returnValue = "";
  });

  function mark(td, text) {
    td.classList.remove("a", "l", "err", "saving");
    var first = text.charAt(0);
    if ("нбу".indexOf(first) >= 0 && first) td.classList.add("a");
    else if (first === "о") td.classList.add("l");
  }

  function post(input, reason) {
    var key = parts(input);
    var body = new URLSearchParams();
    body.set("value", input.value);
    // What the cell showed: if someone else saved it meanwhile, the server says so instead
    // of the last one silently winning.
    body.set("expected", input.defaultValue);
    body.set("column", key.column);
    body.set("from", form.dataset.from);
    body.set("to", form.dataset.to);
    if (reason) body.set("reason", reason);
    var td = input.parentNode;
    td.classList.add("saving");
    return fetch(urlFor(cellUrl, key.lesson, key.pupil), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false }; }).then(function (data) {
        td.classList.remove("saving");
        if (response.status >= 500) {
          markUnsaved(input, data.error || "Сервер не ответил: клетка не сохранена.");
          return;
        }
        clearUnsaved(input);
        if (data.ok) {
          input.value = data.text;
          input.defaultValue = data.text;
          unrefuse(input);
          mark(td, data.text);
          if (data.status === "requested") {
            td.classList.add("pe");
            say(data.message);
          } else {
            say("");
          }
          showAverage(td.parentNode, data.average);
          return;
        }
        if (data.changed && data.text === input.value) {
          // A save sent again after an outage had gone through before: it is saved.
          input.defaultValue = data.text;
          unrefuse(input);
          mark(td, data.text);
          say("");
          return;
        }
        if (data.changed) {
          // Keep what was typed; the next Enter saves it over what is there now.
          input.defaultValue = data.text;
          refuse(input, data.error);
          say(data.error, true);
          return;
        }
        if (data.locked) {
          var why = window.prompt(data.error + "\n\nПричина исправления:");
          if (why && why.trim()) return post(input, why.trim());
          input.value = input.defaultValue;
          say(data.error, true);
          return;
        }
        var text = data.error || (response.status === 403
          ? "Нет права изменять эту клетку."
          : "Не удалось сохранить: обновите страницу.");
        refuse(input, text);
        say(text, true);
      });
    }).catch(function () {
      markUnsaved(input, "Нет связи с сервером: клетка не сохранена.");
    });
  }

  // Each changed cell is posted once: on leaving it (change), or at once on Enter/arrows
  // (so the last cell of a column is saved even when the focus has nowhere to go).
  function commit(input) {
    if (input.value === input.defaultValue) { unrefuse(input); return; }
    if (input.sending === input.value) return;
    var value = input.sending = input.value;
    queue = queue.then(function () {
      if (input.value !== value) return;
      return post(input);
    }).then(function () { input.sending = null; });
  }

  table.addEventListener("change", function (event) {
    if (event.target.tagName === "INPUT") commit(event.target);
  });

  // Enter must never post the whole form while the script saves cell by cell.
  form.addEventListener("submit", function (event) {
    if (!event.submitter) event.preventDefault();
  });
})();
