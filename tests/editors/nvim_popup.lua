-- Drives a real Neovim (0.7+, headless) against fim-lsp through editors/nvim/lua/fim_lsp/legacy.lua:
-- popup completion with omnifunc (<C-x><C-o>, <C-y>), typed through the real input queue.
-- Run by tests/editors/nvim_test.cpp:
--   nvim --headless -u NONE -i NONE -n -S tests/editors/nvim_popup.lua
-- Environment: FIM_LSP_BINARY, FIM_BASE_URL, FIM_CA_FILE, FIM_EDITORS_DIR (editors/), FIM_WORK_DIR,
-- FIM_RESULT (one line per check: "ok NAME", "fail NAME: DETAIL", last "done").
-- The test backend answers "_value(42)", "(a, b):\n    return a + b" when the document holds
-- "def add", and fails when it holds "FAULT".
local env = vim.env
local uv = vim.loop
local results = {}

local function record(line)
  table.insert(results, line)
  local f = io.open(env.FIM_RESULT, 'w')
  if f then
    f:write(table.concat(results, '\n') .. '\n')
    f:close()
  end
end

local function check(name, ok, detail)
  if ok then
    record('ok ' .. name)
  else
    record('fail ' .. name .. ': ' .. tostring(detail))
  end
  return ok
end

local function now_ms() return uv.hrtime() / 1e6 end

-- The test runs as a coroutine so that, between steps, Neovim's main loop processes typed keys,
-- LSP replies and the popup exactly as it does for a user. Every wait has a deadline.
local co
local function resume()
  local ok, err = coroutine.resume(co)
  if not ok then
    record('fail script: ' .. tostring(err))
    record('done')
    vim.cmd('qall!')
  end
end

local function wait_until(cond, timeout_ms)
  local deadline = now_ms() + timeout_ms
  while true do
    local ok, value = pcall(cond)
    if ok and value then return true end
    if now_ms() > deadline then return false end
    vim.defer_fn(resume, 20)
    coroutine.yield()
  end
end

local function feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'n', false)
end

local function fim_client(bufnr)
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'fim_lsp' then return client end
  end
end

local function open(name, lines)
  vim.cmd('edit ' .. vim.fn.fnameescape(env.FIM_WORK_DIR .. '/' .. name))
  vim.api.nvim_buf_set_lines(0, 0, -1, false, lines)
  local bufnr = vim.api.nvim_get_current_buf()
  local ready = wait_until(function()
    local client = fim_client(bufnr)
    return client and client.initialized ~= false and client.server_capabilities ~= nil
  end, 20000)
  return bufnr, ready
end

local function lua_errors()
  local err = vim.v.errmsg or ''
  if err:find('E5108') or err:find('Error executing') or err:find('stack traceback') then return err end
  return nil
end

-- Puts the cursor at the end of line `row`, opens the popup with <C-x><C-o>, waits for it,
-- accepts with <C-y> and leaves insert mode. Returns the buffer's lines afterwards.
local function complete_at_end(row, name)
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  feed('A<C-x><C-o>')
  -- Headless there is no screen to draw the menu on, so pumvisible() stays 0: ask for the items.
  local shown = wait_until(function()
    local info = vim.fn.complete_info({ 'items' })
    return info.items ~= nil and #info.items > 0
  end, 20000)
  if not check(name .. ' popup shown', shown, 'no popup within 20 s, mode ' .. vim.fn.mode()) then
    feed('<C-e><Esc>')
    wait_until(function() return vim.fn.mode() == 'n' end, 5000)
    return vim.api.nvim_buf_get_lines(0, 0, -1, false)
  end
  -- completeopt=menu has already inserted the only item. <C-y> accepts a drawn menu; without a
  -- screen (headless) there is none and <C-y> would copy the character above, so only <Esc> ends it.
  feed(vim.fn.pumvisible() == 1 and '<C-y><Esc>' or '<Esc>')
  wait_until(function() return vim.fn.mode() == 'n' end, 5000)
  -- The multi-line fix of legacy.lua may run right after CompleteDone.
  wait_until(function() return vim.fn.mode() == 'n' end, 200)
  return vim.api.nvim_buf_get_lines(0, 0, -1, false)
end

local function main()
  vim.opt.runtimepath:prepend(env.FIM_EDITORS_DIR .. '/nvim')
  vim.cmd('filetype on')
  vim.o.completeopt = 'menu' -- the popup inserts the first item, as with the defaults
  require('fim_lsp.legacy').setup({
    cmd = { env.FIM_LSP_BINARY, '--stdio', '--base-url', env.FIM_BASE_URL, '--ca-file', env.FIM_CA_FILE },
    -- Exercises initializationOptions; a short timeout keeps the stalled-backend step short;
    -- prefetch off, as the status check counts the requests.
    settings = { endpoint = { timeoutMs = 3000 }, debounceMs = 0, suggestion = { prefetch = false } },
  })

  -- 1. ASCII line, then the same buffer after an edit (incremental didChange).
  local bufnr, ready = open('popup.py', { 'import math', 'result = compute' })
  if not check('attached', ready, 'fim_lsp not initialized within 20 s') then return end
  check('omnifunc set', vim.bo[bufnr].omnifunc == 'v:lua.vim.lsp.omnifunc', vim.bo[bufnr].omnifunc)
  local lines = complete_at_end(2, 'ascii')
  check('ascii', lines[2] == 'result = compute_value(42)', vim.inspect(lines))
  -- The server's fimLsp/status (asked for in the capabilities), for a statusline and :FimLspStatus.
  local status = require('fim_lsp.status')
  check('status ready', wait_until(function()
    local s = status.latest
    return s ~= nil and s.state == 'ready' and (s.usage or {}).requests == 1
  end, 5000), vim.inspect(status.latest))
  check('status text', require('fim_lsp').status() == 'fim' and status.describe():find('1 requests', 1, true) ~= nil
    and vim.fn.exists(':FimLspStatus') == 2 and vim.fn.exists(':FimLspDoctor') == 2, status.describe())

  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  feed('ototal = comp<Esc>')
  wait_until(function() return vim.api.nvim_buf_line_count(0) == 3 and vim.fn.mode() == 'n' end, 5000)
  lines = complete_at_end(3, 'after edit')
  check('after edit', lines[3] == 'total = comp_value(42)' and lines[2] == 'result = compute_value(42)',
    vim.inspect(lines))

  -- 2. Non-ASCII text before the cursor: the server counts UTF-16 units (0.7 offers no encoding).
  open('unicode.py', { 's = "héllo 日本" + greet' })
  lines = complete_at_end(1, 'non-ascii')
  check('non-ascii', lines[1] == 's = "héllo 日本" + greet_value(42)', vim.inspect(lines))

  -- 3. A multi-line suggestion lands as lines, not with NULs.
  open('multi.py', { 'def add' })
  lines = complete_at_end(1, 'multi-line')
  check('multi-line', lines[1] == 'def add(a, b):' and lines[2] == '    return a + b', vim.inspect(lines))

  -- 4. A failing backend: the request is answered (error or nothing), the session goes on.
  local faulty = open('fault.py', { '# FAULT', 'x = val' })
  vim.api.nvim_win_set_cursor(0, { 2, 6 })
  local answered, reply = false, nil
  vim.lsp.buf_request(faulty, 'textDocument/completion', vim.lsp.util.make_position_params(),
    function(err, result)
      answered, reply = true, { err = err, result = result }
    end)
  check('fault answered', wait_until(function() return answered end, 30000), 'no reply within 30 s')
  local items = reply and reply.result and (reply.result.items or reply.result) or {}
  check('fault offers nothing', #items == 0, (vim.inspect(reply):gsub('%s+', ' ')))
  local client = fim_client(faulty)
  check('fault keeps server', client ~= nil and not client.is_stopped(), 'client stopped')
  check('fault no lua error', lua_errors() == nil, lua_errors())

  open('after_fault.py', { 'value = fetch' })
  lines = complete_at_end(1, 'after fault')
  check('after fault', lines[1] == 'value = fetch_value(42)', vim.inspect(lines))
  check('no lua error', lua_errors() == nil, lua_errors())
end

co = coroutine.create(function()
  main()
  record('done')
  -- Stop the servers (shutdown + exit) before quitting, bounded.
  vim.lsp.stop_client(vim.lsp.get_active_clients())
  wait_until(function() return #vim.lsp.get_active_clients() == 0 end, 5000)
  vim.cmd('qall!')
end)
vim.schedule(resume)
