export const id = 671;
export const ids = [671];
export const modules = {

/***/ 671:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cacheStateStore: () => (/* binding */ cacheStateStore),
/* harmony export */   cacheUnavailableReason: () => (/* binding */ cacheUnavailableReason),
/* harmony export */   defaultStateKey: () => (/* binding */ defaultStateKey),
/* harmony export */   unavailableNotice: () => (/* binding */ unavailableNotice)
/* harmony export */ });
/* unused harmony exports shortHash, cacheServiceVersion */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _document_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4349);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
/* harmony import */ var _store_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6992);







/**
 * `cf-insights-<scope with / as ->-<owner>.<repo>-<hash of the filter signature>`: a state
 * belongs to one repository (its issue numbers mean nothing in another), so each
 * repository gets its own. Lower case, as GitHub compares names.
 */
function defaultStateKey(scope, filterSignature, repository) {
    const repo = repository ? `${repository.toLowerCase().replace('/', '.')}-` : '';
    return `cf-insights-${scope.replaceAll('/', '-')}-${repo}${shortHash(filterSignature)}`;
}
function shortHash(text) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text).digest('hex').slice(0, 12);
}
/**
 * The protocol @actions/cache will speak, decided as its lib/internal/config.js decides:
 * v2 (twirp, ACTIONS_RESULTS_URL) when ACTIONS_CACHE_SERVICE_V2 is set, except on GitHub
 * Enterprise Server, where it always speaks v1 (ACTIONS_CACHE_URL).
 */
function cacheServiceVersion(env) {
    let host = '';
    try {
        host = new URL(env['GITHUB_SERVER_URL'] || 'https://github.com').hostname.toUpperCase();
    }
    catch {
        // Not a URL: not github.com either.
    }
    const ghes = host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
    return !ghes && env['ACTIONS_CACHE_SERVICE_V2'] ? 'v2' : 'v1';
}
/**
 * Why the Actions cache cannot be used here, or undefined when it may be. Checked before
 * @actions/cache is loaded, so a stateless run never loads it.
 */
function cacheUnavailableReason(env) {
    const mode = (env['ACTIONS_CACHE_MODE'] ?? '').trim().toLowerCase();
    if (mode === 'none')
        return 'ACTIONS_CACHE_MODE=none';
    if (!env['ACTIONS_RUNTIME_TOKEN'])
        return 'no ACTIONS_RUNTIME_TOKEN: not running in GitHub Actions';
    const urlVar = serviceUrlVariable(env);
    if (!env[urlVar])
        return `no ${urlVar}: the runner offers no cache service (e.g. GitHub Enterprise Server without the cache)`;
    return undefined;
}
function serviceUrlVariable(env) {
    return cacheServiceVersion(env) === 'v2' ? 'ACTIONS_RESULTS_URL' : 'ACTIONS_CACHE_URL';
}
function unavailableNotice(reason) {
    return `Actions cache unavailable (${reason}): running without saved state; the GitHub issues still prevent duplicates.`;
}
/**
 * The action's store, through the real @actions/cache: each run saves an immutable entry
 * `<state-key>-<run id>-<attempt>` and restores the newest entry under `<state-key>-`.
 * Nothing is ever deleted (no `actions: write` needed); old entries age out after 7 days.
 *
 * The library reports failures only as log lines (and -1 or undefined); those lines are
 * captured while it runs so a failure comes back as a reason, never as a silent success.
 */
function cacheStateStore(options) {
    const { stateKey, log, env } = options;
    const saveKey = `${stateKey}-${options.runId}-${options.runAttempt}`;
    const restorePrefix = `${stateKey}-`;
    const dir = options.dir ?? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(env['RUNNER_TEMP'] || (0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)(), 'cf-insights-state', stateKey);
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'state.json');
    async function load(expected) {
        const reason = cacheUnavailableReason(env);
        if (reason)
            return { state: null, notice: unavailableNotice(reason) };
        const mode = cacheMode(env);
        if (mode === 'write-only') {
            return {
                state: null,
                notice: `Actions cache mode '${mode}' does not allow reading: this run starts without saved state; the GitHub issues still prevent duplicates.`,
            };
        }
        const cache = await __webpack_require__.e(/* import() */ 691).then(__webpack_require__.bind(__webpack_require__, 1691));
        if (!cache.isFeatureAvailable())
            return { state: null, notice: unavailableNotice(missingUrlReason(env)) };
        // A file left by an earlier restore in this job must not pass for this one.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(path, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(dir, { recursive: true });
        let run = await capture(() => cache.restoreCache([path], restorePrefix, [restorePrefix]), log, options.stdout);
        // The cache version hashes the path: an entry of the earlier key is restored to its own folder.
        let from = path;
        if (run.error === undefined && run.value === undefined && run.problems.length === 0 && options.legacyStateKey) {
            const legacyPrefix = `${options.legacyStateKey}-`;
            const legacyPath = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(dir), options.legacyStateKey, 'state.json');
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(legacyPath, { force: true });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(legacyPath), { recursive: true });
            const legacy = await capture(() => cache.restoreCache([legacyPath], legacyPrefix, [legacyPrefix]), log, options.stdout);
            if (legacy.value !== undefined) {
                run = legacy;
                from = legacyPath;
            }
        }
        if (run.error !== undefined) {
            return { state: null, warning: `Could not restore the saved state from the Actions cache (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(run.error)}): this run starts as a first run.` };
        }
        if (run.value === undefined) {
            if (run.problems.length > 0) {
                return {
                    state: null,
                    warning: `Could not restore the saved state from the Actions cache (${run.problems.join('; ')}): this run starts as a first run.`,
                };
            }
            return { state: null, notice: `No saved state in the Actions cache under ${restorePrefix}*: this run starts as a first run.` };
        }
        const source = `Actions cache ${run.value}`;
        let text;
        try {
            text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(from, 'utf8');
        }
        catch (error) {
            return {
                state: null,
                source,
                warning: `The Actions cache entry ${run.value} holds no readable state file (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error)}): this run starts as a first run.`,
            };
        }
        return (0,_store_js__WEBPACK_IMPORTED_MODULE_6__/* .loadResultOf */ .J)((0,_document_js__WEBPACK_IMPORTED_MODULE_4__/* .parseStateText */ .A6)(text, { ...expected, source }), source, 'from');
    }
    async function save(doc) {
        const reason = cacheUnavailableReason(env);
        if (reason)
            return { saved: false, skipped: true, reason: unavailableNotice(reason) };
        const mode = cacheMode(env);
        if (mode === 'read') {
            return { saved: false, skipped: true, reason: `Actions cache mode '${mode}' does not allow saving (e.g. a run from a fork): the state was not saved.` };
        }
        const cache = await __webpack_require__.e(/* import() */ 691).then(__webpack_require__.bind(__webpack_require__, 1691));
        if (!cache.isFeatureAvailable())
            return { saved: false, skipped: true, reason: unavailableNotice(missingUrlReason(env)) };
        const failed = (why) => ({
            saved: false,
            location: saveKey,
            reason: `Could not save the state to the Actions cache under ${saveKey} (${why}); the next run starts from the previous saved state.`,
        });
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(dir, { recursive: true });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(path, (0,_document_js__WEBPACK_IMPORTED_MODULE_4__/* .serializeState */ .sU)(doc), { encoding: 'utf8', mode: 0o600 });
        }
        catch (error) {
            return failed(`writing ${path}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error)}`);
        }
        const run = await capture(() => cache.saveCache([path], saveKey), log, options.stdout);
        if (run.error !== undefined)
            return failed((0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(run.error));
        // A failed upload or commit still returns the reserved cache id: only the log says so.
        if (run.problems.length > 0)
            return failed(run.problems.join('; '));
        if (run.value === undefined || run.value === -1)
            return failed('the cache service did not accept the entry');
        log.debug(`State saved to the Actions cache under ${saveKey} (cache id ${run.value}).`);
        return { saved: true, location: saveKey };
    }
    return { kind: 'cache', saveKey, restorePrefix, path, load, save };
}
function cacheMode(env) {
    return (env['ACTIONS_CACHE_MODE'] ?? '').trim().toLowerCase();
}
function missingUrlReason(env) {
    return `no ${serviceUrlVariable(env)}`;
}
const PROBLEM = /^(?:Failed to (?:save|restore): |Cache reservation failed: |Cache (?:save|restore) skipped: )/;
/**
 * Runs a call of @actions/cache with its stdout (where @actions/core writes) captured:
 * its failure lines become `problems`, everything else goes to the debug log once the
 * call is over. `::add-mask::` lines pass straight through so the runner still masks the
 * signed archive URL.
 */
async function capture(call, log, stdout) {
    const original = stdout.write;
    const lines = [];
    let pending = '';
    const patched = function (chunk, ...rest) {
        pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
            const line = pending.slice(0, newline).replace(/\r$/, '');
            pending = pending.slice(newline + 1);
            if (line.startsWith('::add-mask::'))
                original.call(stdout, `${line}\n`);
            else
                lines.push(line);
            newline = pending.indexOf('\n');
        }
        const callback = rest.find((r) => typeof r === 'function');
        callback?.();
        return true;
    };
    stdout.write = patched;
    const result = { problems: [] };
    try {
        result.value = await call();
    }
    catch (error) {
        result.error = error;
    }
    finally {
        stdout.write = original;
    }
    if (pending !== '')
        lines.push(pending);
    // Warnings without a known prefix: v2 reports a finalize refused with a message only so.
    const otherWarnings = [];
    for (const line of lines) {
        const command = /^::(\w+)(?: [^:]*)?::(.*)$/.exec(line);
        const message = command ? unescapeCommand(command[2] ?? '') : line;
        if (PROBLEM.test(message))
            result.problems.push(message.replace(/^Failed to (?:save|restore): /, ''));
        else if (command?.[1] === 'warning' || command?.[1] === 'error')
            otherWarnings.push(message);
        log.debug(`@actions/cache: ${message}`);
    }
    if (result.problems.length === 0)
        result.problems.push(...otherWarnings);
    return result;
}
function unescapeCommand(text) {
    return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}


/***/ })

};

//# sourceMappingURL=671.index.js.map