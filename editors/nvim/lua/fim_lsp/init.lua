-- One call for any Neovim from 0.7 on:
--   require('fim_lsp').setup({ settings = { model = 'qwen-coder-turbo' }, accept_key = '<Tab>' })
-- 0.12+: inline completion (ghost text) with accept_key, falling back to the key's normal action.
-- 0.11:  vim.lsp.config/enable with popup completion (vim.lsp.completion, first line only).
-- 0.7–0.10: lua/fim_lsp/legacy.lua, popup completion through omnifunc (<C-x><C-o>).
local M = {}
local status = require('fim_lsp.status')

-- A short text for a statusline ('fim', 'fim…' while busy, 'fim !' on error, …); '' before the
-- server has said anything. :FimLspStatus prints the whole state and the token usage.
function M.status()
  return status.short()
end

---@class fim_lsp.Options
---@field cmd? string[]          default { 'fim-lsp', '--stdio' }
---@field settings? table        the server's settings object (see editors/nvim/README.md)
---@field filetypes? string[]    default: every filetype
---@field accept_key? string|false  0.12+: key accepting the ghost text (default '<Tab>'; false = none)
---@field popup? boolean         0.11+: also enable vim.lsp.completion popups (default: only without inline completion)

function M.setup(opts)
  opts = opts or {}
  if vim.fn.has('nvim-0.11') == 0 then
    return require('fim_lsp.legacy').setup(opts)
  end

  local settings = opts.settings or {}
  status.define_command()
  require('fim_lsp.doctor').define_command(opts.cmd, settings)
  local config = {
    settings = { fimLsp = settings },
    capabilities = status.capabilities,
    handlers = { ['fimLsp/status'] = status.handler },
  }
  if next(settings) ~= nil then config.init_options = settings end
  if opts.cmd then config.cmd = opts.cmd end
  if opts.filetypes then config.filetypes = opts.filetypes end

  local inline = vim.lsp.inline_completion ~= nil -- 0.12+
  local popup = opts.popup
  if popup == nil then popup = not inline end
  if popup then
    config.on_attach = function(client, bufnr)
      vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = true })
    end
  end

  vim.lsp.config('fim_lsp', config)
  vim.lsp.enable('fim_lsp')

  if inline then
    vim.lsp.inline_completion.enable()
    local key = opts.accept_key
    if key == nil then key = '<Tab>' end
    if key then
      vim.keymap.set('i', key, function()
        if not vim.lsp.inline_completion.get() then return key end
      end, { expr = true, desc = 'fim-lsp: accept the inline completion, else ' .. key })
    end
  end
end

return M
