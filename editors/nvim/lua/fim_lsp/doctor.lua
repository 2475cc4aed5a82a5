-- :FimLspDoctor runs `fim-lsp doctor` with the settings given to setup() and prints its report:
-- one line per step (settings, key, network, TLS, one request) and the fix for a failing one.
local M = {}

function M.define_command(cmd, settings)
  vim.api.nvim_create_user_command('FimLspDoctor', function()
    local file = vim.fn.tempname()
    local object = settings
    if object == nil or next(object) == nil then object = vim.empty_dict() end
    vim.fn.writefile({ vim.fn.json_encode(object) }, file)
    local out = vim.fn.system({ (cmd or { 'fim-lsp' })[1], 'doctor', '--config', file })
    vim.fn.delete(file)
    vim.api.nvim_echo({ { out } }, true, {})
  end, { desc = 'fim-lsp: check settings, key, network, TLS and one request' })
end

return M
