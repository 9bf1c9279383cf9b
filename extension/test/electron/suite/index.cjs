// Runs inside VS Code's extension host (see ../run-tests.mjs): the extension activates on the workspace's
// autoedit.rules.json, registers every command and the Projects view, and the rules schema is in place.
const assert = require('node:assert/strict');
const vscode = require('vscode');

exports.run = async () => {
  const ext = vscode.extensions.getExtension('autoedit.autoedit-vscode');
  assert.ok(ext, 'the extension is installed');
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of [
    'autoedit.runPipeline',
    'autoedit.ingest',
    'autoedit.detectScenes',
    'autoedit.transcribe',
    'autoedit.select',
    'autoedit.exportTimeline',
    'autoedit.render',
    'autoedit.startWatching',
    'autoedit.stopWatching',
    'autoedit.openInKdenlive',
    'autoedit.openInShotcut',
    'autoedit.openTranscript',
    'autoedit.createRulesFile',
    'autoedit.pullWhisperModel',
  ])
    assert.ok(commands.includes(id), `${id} is registered`);
  const rules = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'autoedit.rules.json');
  await vscode.workspace.fs.writeFile(rules, Buffer.from('{ "min_clip": "long" }\n'));
  const doc = await vscode.workspace.openTextDocument(rules);
  await vscode.window.showTextDocument(doc);
  for (let i = 0; i < 100 && vscode.languages.getDiagnostics(rules).length === 0; i++)
    await new Promise((r) => setTimeout(r, 200));
  assert.ok(vscode.languages.getDiagnostics(rules).length > 0, 'the rules schema marks a wrong value');
};
