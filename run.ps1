#!/usr/bin/env pwsh
#Requires -Version 7.0
# Thin task runner. Each task runs exactly the command README.md shows for it, nothing more, so the two cannot
# drift apart (tests/UrbanScore.Tests/Packaging/RunScriptTests.cs checks every command line below against README.md;
# RunScriptExecutionTests.cs runs the script with PowerShell 7.6.9).
#   ./run.ps1 build | test | demo | bench | pack    (default: build; extra arguments go to the command)
param(
    [ValidateSet('build', 'test', 'demo', 'bench', 'pack')]
    [string] $Task = 'build',
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

$commands = @{
    'build' = 'dotnet build UrbanScore.sln -c Release'
    'test'  = 'dotnet test UrbanScore.sln -c Release'
    'demo'  = 'dotnet run -c Release --project src/UrbanScore.Cli -- demo'
    'bench' = 'dotnet run -c Release --project src/UrbanScore.Cli -- bench'
    'pack'  = 'dotnet pack UrbanScore.sln -c Release -o artifacts'
}

$words = @($commands[$Task] -split ' ') + $Rest
Write-Host "> $($words -join ' ')"
& $words[0] $words[1..($words.Length - 1)]
exit $LASTEXITCODE
