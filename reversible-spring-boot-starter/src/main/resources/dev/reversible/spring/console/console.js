/*
 * reversible saga console. Reads and writes only through the `sagas` actuator endpoint, whose path and access the
 * server wrote into <body data-…>. Everything read from the journal is put on the page as text (textContent, SVG
 * text nodes), never as HTML.
 */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PAGE_SIZE = 20;
  var REFRESH_MS = 5000;
  var FILTERS = ['', 'RUNNING', 'COMPENSATING', 'STUCK', 'COMPENSATED', 'RESOLVED'];
  var OPTIONAL_FILTERS = ['COMPLETED', 'FAILED'];

  var body = document.body;
  var endpoint = body.getAttribute('data-endpoint') || '';
  var access = body.getAttribute('data-access') || 'none';
  var csrfHeader = body.getAttribute('data-csrf-header') || '';
  var csrfToken = body.getAttribute('data-csrf-token') || '';

  var timer = null;
  var loading = false;
  var acting = false;
  var queued = false;
  var queuedAny = false;
  var generation = 0;
  var currentSaga = null;

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function svgEl(tag, attributes, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function badge(status) {
    var span = el('span', 'badge ' + String(status).replace(/[^A-Z_]/g, ''), status);
    return span;
  }

  function formatTime(iso) {
    if (!iso) {
      return '—';
    }
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return String(iso);
    }
    return date.toISOString().replace('T', ' ').replace('Z', '');
  }

  function formatDuration(ms) {
    if (ms < 0 || !isFinite(ms)) {
      return '—';
    }
    if (ms < 1000) {
      return Math.round(ms) + ' ms';
    }
    if (ms < 60000) {
      return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
    }
    if (ms < 3600000) {
      return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
    }
    return Math.floor(ms / 3600000) + ' h ' + Math.round((ms % 3600000) / 60000) + ' min';
  }

  function errorText(error) {
    if (!error) {
      return '';
    }
    var message = error.message === null || error.message === undefined ? '' : ': ' + error.message;
    return error['class'] + message;
  }

  function time(iso) {
    if (!iso) {
      return null;
    }
    var value = Date.parse(iso);
    return isNaN(value) ? null : value;
  }

  // ---- notices ------------------------------------------------------------------------------------------------

  function notice(text, isError) {
    var box = $('notice');
    if (!text) {
      box.hidden = true;
      box.textContent = '';
      return;
    }
    box.textContent = text;
    box.className = isError ? 'notice error' : 'notice';
    box.hidden = false;
  }

  function standingNotice() {
    if (access === 'read-only') {
      return 'The sagas endpoint is read-only (management.endpoint.sagas.access is read-only, the default): '
        + 'you can look at every saga here, but Retry and Resolve are switched off.';
    }
    return '';
  }

  function httpProblem(status, what) {
    if (status === 401 || status === 403) {
      return 'You are not allowed to ' + what + ' (HTTP ' + status + '): the application\'s security guards the sagas endpoint.';
    }
    if (status === 404) {
      return 'The sagas endpoint answered 404 to ' + what + ': it is not exposed on this port (management.endpoints.web.exposure.include).';
    }
    if (status === 0) {
      return 'Could not reach the sagas endpoint to ' + what + ': is the application still running?';
    }
    return 'The sagas endpoint answered HTTP ' + status + ' to ' + what + '.';
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].substring(0, eq) === name) {
        return decodeURIComponent(parts[i].substring(eq + 1));
      }
    }
    return null;
  }

  function request(method, url, payload) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      // Spring Security's CSRF token: the one rendered into the page, else the XSRF-TOKEN cookie
      if (csrfHeader && csrfToken) {
        headers[csrfHeader] = csrfToken;
      } else if (cookie('XSRF-TOKEN')) {
        headers['X-XSRF-TOKEN'] = cookie('XSRF-TOKEN');
      }
    }
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(payload);
    }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch (ignored) {
          json = null;
        }
        return { status: response.status, body: json };
      });
    }, function () {
      return { status: 0, body: null };
    });
  }

  // ---- routing ------------------------------------------------------------------------------------------------

  function route() {
    var hash = location.hash || '#/';
    if (hash.indexOf('#/saga/') === 0) {
      return { view: 'saga', id: decodeURIComponent(hash.substring('#/saga/'.length)) };
    }
    var query = hash.indexOf('?') >= 0 ? hash.substring(hash.indexOf('?') + 1) : '';
    var params = new URLSearchParams(query);
    var page = parseInt(params.get('page') || '1', 10);
    return { view: 'list', status: (params.get('status') || '').toUpperCase(), page: isNaN(page) || page < 1 ? 1 : page };
  }

  function listHash(status, page) {
    var parts = [];
    if (status) {
      parts.push('status=' + encodeURIComponent(status));
    }
    if (page > 1) {
      parts.push('page=' + page);
    }
    return '#/' + (parts.length ? '?' + parts.join('&') : '');
  }

  function sagaHash(id) {
    return '#/saga/' + encodeURIComponent(id);
  }

  // ---- loading and refreshing ---------------------------------------------------------------------------------

  function schedule() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if ($('auto-refresh').checked && !document.hidden) {
      timer = setTimeout(function () {
        load(false);
      }, REFRESH_MS);
    }
  }

  function refreshed() {
    $('refreshed').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + ' UTC';
  }

  function load(navigated) {
    if (access === 'none' || !endpoint) {
      $('list-view').hidden = true;
      $('saga-view').hidden = true;
      notice('The sagas actuator endpoint is not exposed over HTTP, so this console has nothing to show. Expose it with '
        + 'management.endpoints.web.exposure.include=health,sagas (it needs reversible-jdbc and a DataSource); '
        + 'management.endpoint.sagas.access=unrestricted also opens Retry and Resolve.', true);
      return;
    }
    if (loading || acting) {
      // one load at a time: a navigation meanwhile is served as soon as this one is done
      queued = queued || navigated;
      queuedAny = true;
      return;
    }
    loading = true;
    var current = route();
    var mine = ++generation;
    var done = function () {
      loading = false;
      if (queuedAny) {
        var navigatedMeanwhile = queued;
        queued = false;
        queuedAny = false;
        load(navigatedMeanwhile);
        return;
      }
      schedule();
    };
    var work = current.view === 'saga' ? loadSaga(current, navigated, mine) : loadList(current, navigated, mine);
    work.then(done, function (error) {
      notice('The console failed to show this page: ' + (error && error.message ? error.message : error), true);
      done();
    });
  }

  // ---- the list -----------------------------------------------------------------------------------------------

  function loadList(current, navigated, mine) {
    var url = endpoint + '?limit=' + PAGE_SIZE + '&offset=' + ((current.page - 1) * PAGE_SIZE)
      + (current.status ? '&status=' + encodeURIComponent(current.status) : '');
    return request('GET', url).then(function (response) {
      if (mine !== generation) {
        return;
      }
      if (response.status !== 200 || !response.body) {
        notice(httpProblem(response.status, 'list the sagas'), true);
        return;
      }
      notice(standingNotice(), false);
      var focusKept = renderList(current, response.body);
      refreshed();
      if (navigated && !focusKept) {
        $('main').focus({ preventScroll: true });
      }
    });
  }

  /** What has the keyboard focus in the list, to give it back after the list is drawn again. */
  function listFocus() {
    var active = document.activeElement;
    if (!active || !active.getAttribute) {
      return null;
    }
    if (active.getAttribute('data-status')) {
      return { selector: '#filters [data-status]', value: active.getAttribute('data-status'), attribute: 'data-status' };
    }
    if (active.getAttribute('data-saga-link')) {
      return { selector: '#saga-rows a[data-saga-link]', value: active.getAttribute('data-saga-link'), attribute: 'data-saga-link' };
    }
    if (active.id && $('list-view').contains(active)) {
      return { selector: '#list-view [id]', value: active.id, attribute: 'id' };
    }
    return null;
  }

  /** @return whether the focus went back where it was */
  function restoreFocus(focus) {
    if (!focus) {
      return false;
    }
    var candidates = document.querySelectorAll(focus.selector);
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].getAttribute(focus.attribute) === focus.value && !candidates[i].disabled) {
        candidates[i].focus({ preventScroll: true });
        return true;
      }
    }
    return false;
  }

  function renderList(current, data) {
    var focus = listFocus();
    $('saga-view').hidden = true;
    $('list-view').hidden = false;
    document.title = 'Sagas · reversible console';
    var counts = data.counts || {};
    var total = 0;
    Object.keys(counts).forEach(function (status) {
      total += counts[status];
    });

    var filters = $('filters');
    clear(filters);
    var shown = FILTERS.concat(OPTIONAL_FILTERS.filter(function (status) {
      return counts[status] > 0 || current.status === status;
    }));
    shown.forEach(function (status) {
      var button = el('button', null, status ? status.charAt(0) + status.substring(1).toLowerCase() : 'All');
      button.type = 'button';
      button.setAttribute('data-status', status || 'ALL');
      button.setAttribute('aria-pressed', String(current.status === status));
      button.appendChild(el('span', 'count', status ? (counts[status] || 0) : total));
      button.addEventListener('click', function () {
        location.hash = listHash(status, 1);
      });
      filters.appendChild(button);
    });

    var rows = $('saga-rows');
    clear(rows);
    (data.sagas || []).forEach(function (saga) {
      var row = el('tr');
      row.setAttribute('data-saga-id', saga.id);
      row.appendChild(el('td', 'time', formatTime(saga.startedAt)));
      var name = el('td');
      var link = el('a', null, saga.name);
      link.href = sagaHash(saga.id);
      link.setAttribute('data-saga-link', saga.id);
      name.appendChild(link);
      row.appendChild(name);
      var status = el('td');
      status.appendChild(badge(saga.status));
      row.appendChild(status);
      row.appendChild(el('td', null, saga.failedStep || ''));
      row.appendChild(el('td', null, saga.owner || ''));
      var id = el('td', 'id');
      var idLink = el('a', null, saga.id);
      idLink.href = sagaHash(saga.id);
      idLink.setAttribute('tabindex', '-1');
      id.appendChild(idLink);
      row.appendChild(id);
      rows.appendChild(row);
    });
    $('empty').hidden = (data.sagas || []).length > 0;

    var inFilter = current.status ? (counts[current.status] || 0) : total;
    var first = (current.page - 1) * PAGE_SIZE;
    var shownCount = (data.sagas || []).length;
    $('page-info').textContent = shownCount === 0 ? (first > 0 ? 'No more sagas' : '')
      : (first + 1) + '–' + (first + shownCount) + ' of ' + inFilter;
    $('prev').disabled = current.page <= 1;
    $('next').disabled = first + shownCount >= inFilter;
    $('prev').onclick = function () {
      location.hash = listHash(current.status, current.page - 1);
    };
    $('next').onclick = function () {
      location.hash = listHash(current.status, current.page + 1);
    };
    return restoreFocus(focus);
  }

  // ---- one saga -----------------------------------------------------------------------------------------------

  function loadSaga(current, navigated, mine) {
    return request('GET', endpoint + '/' + encodeURIComponent(current.id)).then(function (response) {
      if (mine !== generation) {
        return;
      }
      if (response.status === 404) {
        notice('Saga ' + current.id + ' is not in the journal: a completed saga is deleted (unless kept), a finished one is '
          + 'purged after the retention.', true);
        $('list-view').hidden = true;
        $('saga-view').hidden = true;
        return;
      }
      if (response.status !== 200 || !response.body) {
        notice(httpProblem(response.status, 'read saga ' + current.id), true);
        return;
      }
      notice(standingNotice(), false);
      if (navigated) {
        var result = $('result');
        result.hidden = true;
        result.textContent = '';
        $('note').value = '';
      }
      renderSaga(response.body);
      refreshed();
      if (navigated) {
        $('saga-title').setAttribute('tabindex', '-1');
        $('saga-title').focus({ preventScroll: true });
      }
    });
  }

  function fact(list, term, value) {
    list.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (value instanceof Node) {
      dd.appendChild(value);
    } else {
      dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    }
    list.appendChild(dd);
    return dd;
  }

  function renderSaga(saga) {
    currentSaga = saga;
    $('list-view').hidden = true;
    $('saga-view').hidden = false;
    document.title = saga.name + ' ' + saga.status + ' · reversible console';
    var title = $('saga-title');
    clear(title);
    title.appendChild(document.createTextNode(saga.name + ' '));
    title.appendChild(badge(saga.status));

    var facts = $('facts');
    clear(facts);
    fact(facts, 'Status', saga.status).setAttribute('id', 'saga-status');
    fact(facts, 'Id', saga.id).className = 'error-text';
    fact(facts, 'Owner', saga.owner);
    fact(facts, 'Started', formatTime(saga.startedAt) + ' UTC');
    fact(facts, 'Updated', formatTime(saga.updatedAt) + ' UTC');
    fact(facts, 'Failed step', saga.failedStep);
    var failure = fact(facts, 'Last error', errorText(saga.lastError));
    failure.className = 'error-text';
    failure.setAttribute('id', 'saga-error');
    var attempts = 0;
    (saga.steps || []).forEach(function (step) {
      attempts += step.attempts || 0;
    });
    fact(facts, 'Compensation attempts', attempts);
    fact(facts, 'Recovered', saga.recovered ? 'yes: another instance took it over' : 'no');
    if (saga.recoverable === false) {
      fact(facts, 'Not recoverable here', saga.unrecoverableReason);
    }
    fact(facts, 'Note', saga.note).setAttribute('id', 'saga-note');

    renderActions(saga);
    renderTimeline(saga);
    renderSteps(saga);
  }

  function renderActions(saga) {
    var stuck = saga.status === 'STUCK';
    $('actions').hidden = !stuck;
    var writable = access === 'unrestricted';
    $('retry').disabled = !writable || acting;
    $('resolve').disabled = !writable || acting;
    $('note').disabled = !writable || acting;
    var readOnly = $('read-only');
    if (writable) {
      readOnly.hidden = true;
      readOnly.textContent = '';
      $('actions-why').textContent = 'A compensation failed after all its retries. Retry it once its cause is fixed, or resolve the '
        + 'saga with a note once you have dealt with it by hand.';
    } else {
      readOnly.hidden = false;
      readOnly.textContent = 'Retry and Resolve are disabled: the sagas endpoint is read-only. An administrator opens them with '
        + 'management.endpoint.sagas.access=unrestricted (after securing the actuator).';
      $('actions-why').textContent = 'A compensation failed after all its retries.';
    }
  }

  /** The steps with each parent followed by its children (by index), and each one's depth. */
  function stepTree(steps) {
    var byParent = {};
    var indexes = {};
    steps.forEach(function (step) {
      indexes[step.index] = true;
    });
    steps.forEach(function (step) {
      var parent = step.parent === null || step.parent === undefined || !indexes[step.parent] ? 'root' : String(step.parent);
      (byParent[parent] = byParent[parent] || []).push(step);
    });
    var ordered = [];
    var visit = function (key, depth) {
      (byParent[key] || []).sort(function (a, b) {
        return a.index - b.index;
      }).forEach(function (step) {
        ordered.push({ step: step, depth: depth });
        visit(String(step.index), depth + 1);
      });
    };
    visit('root', 0);
    return ordered;
  }

  function forwardClass(saga, step, failedIndex) {
    if (step.status === 'UNDONE_BY_TRANSACTION') {
      return 'undone';
    }
    if (step.status === 'FAILED' || step.index === failedIndex) {
      return 'failed';
    }
    if (!step.endedAt) {
      return 'doubt';
    }
    return 'done';
  }

  function attemptClass(saga, step, attempt, last) {
    if (attempt.outcome === 'compensated') {
      return 'compensated';
    }
    return last && saga.status === 'STUCK' ? 'stuck' : 'attempt-failed';
  }

  function renderTimeline(saga) {
    var container = $('timeline');
    clear(container);
    var ordered = stepTree(saga.steps || []);
    if (ordered.length === 0) {
      container.appendChild(el('p', 'muted', 'No steps recorded.'));
      return;
    }
    var failedIndex = -1;
    ordered.forEach(function (entry) {
      if (saga.failedStep && entry.step.action === saga.failedStep && entry.step.index > failedIndex) {
        failedIndex = entry.step.index;
      }
    });
    var open = saga.status === 'RUNNING' || saga.status === 'COMPENSATING';
    var horizon = open ? Date.now() : (time(saga.updatedAt) || Date.now());
    var t0 = Infinity;
    var t1 = -Infinity;
    var see = function (value) {
      if (value !== null) {
        t0 = Math.min(t0, value);
        t1 = Math.max(t1, value);
      }
    };
    see(time(saga.startedAt));
    ordered.forEach(function (entry) {
      see(time(entry.step.startedAt));
      see(time(entry.step.endedAt));
      (entry.step.compensations || []).forEach(function (attempt) {
        see(time(attempt.startedAt));
        see(time(attempt.endedAt));
      });
    });
    if (!isFinite(t0)) {
      t0 = horizon;
      t1 = horizon;
    }
    var span = Math.max(t1 - t0, 1);

    var width = Math.max(container.clientWidth - 16, 300);
    var narrow = width < 560;
    var labelWidth = narrow ? 118 : 230;
    var left = labelWidth + 8;
    var right = width - 14;
    var laneHeight = 34;
    var top = 26;
    var height = top + ordered.length * laneHeight + 8;
    var x = function (value) {
      return left + (value - t0) / span * (right - left);
    };

    var svg = svgEl('svg', {
      viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', id: 'timeline-svg',
      'aria-label': 'Timeline of saga ' + saga.name + ': ' + ordered.length + ' steps, one lane each, forwards and compensation attempts'
    });
    svg.appendChild(svgEl('title', {}, 'Timeline of ' + saga.name + ' (' + saga.status + ')'));

    var ticks = narrow ? 2 : 4;
    for (var tick = 0; tick <= ticks; tick++) {
      var at = left + tick / ticks * (right - left);
      svg.appendChild(svgEl('line', { x1: at, x2: at, y1: top - 6, y2: height - 4, 'class': 'grid' }));
      var label = tick > 0 ? '+' + formatDuration(span * tick / ticks)
        : narrow ? '0' : formatTime(new Date(t0).toISOString()).substring(11);
      svg.appendChild(svgEl('text', {
        x: at, y: top - 10, 'class': 'axis', 'text-anchor': tick === 0 ? 'start' : tick === ticks ? 'end' : 'middle'
      }, label));
    }

    ordered.forEach(function (entry, row) {
      var step = entry.step;
      var y = top + row * laneHeight;
      var lane = svgEl('g', { 'class': 'lane', 'data-index': step.index, 'data-action': step.action, 'data-status': step.status });
      lane.appendChild(svgEl('rect', { x: 0, y: y + 2, width: width, height: laneHeight - 4, 'class': 'lane-bg' }));
      var indent = Math.min(entry.depth, 4) * (narrow ? 8 : 14);
      var name = (entry.depth > 0 ? '↳ ' : '') + '#' + step.index + ' ' + step.action;
      var maxChars = Math.max(6, Math.floor((labelWidth - indent) / 7));
      lane.appendChild(svgEl('text', { x: 6 + indent, y: y + 15, 'class': 'lane-label' },
        name.length > maxChars ? name.substring(0, maxChars - 1) + '…' : name));
      lane.appendChild(svgEl('text', { x: 6 + indent, y: y + 28, 'class': 'lane-status' }, step.status));

      var started = time(step.startedAt);
      if (started === null) {
        lane.appendChild(svgEl('text', { x: left, y: y + 21, 'class': 'lane-status' }, 'no times recorded'));
      } else {
        var ended = time(step.endedAt);
        var kind = forwardClass(saga, step, failedIndex);
        var end = ended !== null ? ended : Math.max(started, Math.min(horizon, t1));
        var bar = svgEl('rect', {
          x: x(started), y: y + 9, width: Math.max(x(end) - x(started), 3), height: 16, rx: 2,
          'class': 'bar forward ' + kind, 'data-kind': kind
        });
        bar.appendChild(svgEl('title', {}, step.action + ' forwards: ' + formatTime(step.startedAt) + ' → '
          + (ended !== null ? formatTime(step.endedAt) + ' (' + formatDuration(ended - started) + ')' : 'no end recorded')
          + (kind === 'failed' && step.lastError ? '\n' + errorText(step.lastError) : '')));
        lane.appendChild(bar);
        if (kind === 'failed' && ended !== null) {
          svg.appendChild(svgEl('line', { x1: x(ended), x2: x(ended), y1: top - 4, y2: height - 4, 'class': 'failure-mark' }));
        }
      }
      var attempts = step.compensations || [];
      attempts.forEach(function (attempt, i) {
        var from = time(attempt.startedAt);
        var to = time(attempt.endedAt);
        if (from === null || to === null) {
          return;
        }
        var kind = attemptClass(saga, step, attempt, i === attempts.length - 1);
        var rect = svgEl('rect', {
          x: x(from), y: y + 12, width: Math.max(x(to) - x(from), 3), height: 10, rx: 2,
          'class': 'bar compensation ' + kind, 'data-attempt': attempt.attempt, 'data-outcome': attempt.outcome
        });
        rect.appendChild(svgEl('title', {}, step.action + ' compensation, attempt ' + attempt.attempt + ': ' + attempt.outcome
          + ' after ' + formatDuration(to - from) + ' (' + formatTime(attempt.startedAt) + ' → ' + formatTime(attempt.endedAt) + ')'
          + (attempt.error ? '\n' + errorText(attempt.error) : '')));
        lane.appendChild(rect);
      });
      svg.appendChild(lane);
    });
    container.appendChild(svg);
  }

  function renderSteps(saga) {
    var rows = $('step-rows');
    clear(rows);
    stepTree(saga.steps || []).forEach(function (entry) {
      var step = entry.step;
      var row = el('tr');
      row.setAttribute('data-index', step.index);
      row.appendChild(el('td', null, (entry.depth > 0 ? '↳ ' : '') + step.index));
      row.appendChild(el('td', null, step.action + (step.parent !== null && step.parent !== undefined ? ' (child of #' + step.parent + ')' : '')));
      var status = el('td');
      status.appendChild(badge(step.status));
      row.appendChild(status);
      row.appendChild(el('td', null, step.attempts));
      row.appendChild(el('td', 'time', formatTime(step.startedAt)));
      row.appendChild(el('td', 'time', formatTime(step.endedAt)));
      row.appendChild(el('td', 'error-text', errorText(step.lastError)));
      rows.appendChild(row);
      (step.compensations || []).forEach(function (attempt) {
        var sub = el('tr', 'attempt');
        sub.appendChild(el('td'));
        var cell = el('td', null, 'compensation attempt ' + attempt.attempt + ': ' + attempt.outcome + ', '
          + formatDuration(time(attempt.endedAt) - time(attempt.startedAt)) + ' from ' + formatTime(attempt.startedAt)
          + (attempt.error ? ' — ' + errorText(attempt.error) : ''));
        cell.colSpan = 6;
        sub.appendChild(cell);
        rows.appendChild(sub);
      });
    });
  }

  // ---- retry and resolve --------------------------------------------------------------------------------------

  function showResult(text, isError) {
    var result = $('result');
    result.textContent = text;
    result.className = isError ? 'result error' : 'result';
    result.hidden = false;
  }

  function operate(operation, payload) {
    if (!currentSaga || access !== 'unrestricted' || acting) {
      return;
    }
    var id = currentSaga.id;
    acting = true;
    renderActions(currentSaga);
    showResult((operation === 'retry' ? 'Retrying' : 'Resolving') + ' saga ' + id + '…', false);
    request('POST', endpoint + '/' + encodeURIComponent(id) + '/' + operation, payload).then(function (response) {
      acting = false;
      if (queuedAny) {
        var navigatedMeanwhile = queued;
        queued = false;
        queuedAny = false;
        setTimeout(function () {
          load(navigatedMeanwhile);
        }, 0);
      }
      var verb = operation === 'retry' ? 'Retry' : 'Resolve';
      if (response.status === 200 && response.body) {
        showResult(verb + ': HTTP 200 — the saga is now ' + response.body.status
          + (response.body.status === 'STUCK' ? ' again: ' + errorText(response.body.lastError) : '.'), response.body.status === 'STUCK');
        if (operation === 'resolve') {
          $('note').value = '';
        }
        renderSaga(response.body);
      } else {
        var message = response.body && response.body.message ? response.body.message
          : httpProblem(response.status, operation + ' it');
        showResult(verb + ': HTTP ' + response.status + ' — ' + message, true);
        renderActions(currentSaga);
        load(false);
      }
    });
  }

  $('retry').addEventListener('click', function () {
    operate('retry');
  });

  $('resolve-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var note = $('note').value.trim();
    if (!note) {
      showResult('Resolve: write a note first — who dealt with this saga, how, and where it is recorded.', true);
      $('note').focus();
      return;
    }
    operate('resolve', { note: note });
  });

  $('auto-refresh').addEventListener('change', schedule);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) {
      load(false);
    } else {
      schedule();
    }
  });
  window.addEventListener('hashchange', function () {
    load(true);
  });
  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      if (currentSaga && !$('saga-view').hidden) {
        renderTimeline(currentSaga);
      }
    }, 150);
  });

  load(false);
}());
