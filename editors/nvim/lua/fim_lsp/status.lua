-- fimLsp/status from the server (sent because the client asks for it in its capabilities):
-- require('fim_lsp').status() gives a short text for a statusline, :FimLspStatus all of it.
local M = { latest = nil }

-- Merged into the client's capabilities: the server sends the notification only when asked.
M.capabilities = { experimental = { fimLspStatus = true } }

local marks = { ready = 'fim', busy = 'fim…', error = 'fim !', backoff = 'fim ⏸', disabled = 'fim off' }

function M.handler(_, result)
  M.latest = result
  pcall(vim.cmd, 'redrawstatus')
end

function M.short()
  local s = M.latest
  if type(s) ~= 'table' then return '' end
  return marks[s.state] or ('fim ' .. tostring(s.state))
end

function M.describe()
  local s = M.latest
  if type(s) ~= 'table' then return 'fim-lsp: no status yet' end
  local lines = { 'fim-lsp: ' .. tostring(s.state) }
  if s.message then table.insert(lines, '  ' .. s.message) end
  if s['until'] then table.insert(lines, '  until ' .. s['until']) end
  local u = s.usage or {}
  table.insert(lines, string.format('  %d requests, %d prompt tokens, %d completion tokens', u.requests or 0,
    u.promptTokens or 0, u.completionTokens or 0))
  return table.concat(lines, '\n')
end

function M.define_command()
  vim.api.nvim_create_user_command('FimLspStatus', function() print(M.describe()) end,
    { desc = 'fim-lsp: the server state and token usage' })
end

return M
