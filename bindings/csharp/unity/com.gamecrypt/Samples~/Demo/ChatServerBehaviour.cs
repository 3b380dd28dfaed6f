// Unity: runs the chat relay on localhost and shows its state and key fingerprint.
using GameCrypt.Demo;
using UnityEngine;

public class ChatServerBehaviour : MonoBehaviour
{
    [SerializeField] private int port = 7777;
    private ChatServer _server;

    /// <summary>The chat client in the same scene pins this.</summary>
    public byte[] Fingerprint { get { return _server == null ? null : _server.Fingerprint; } }
    public int Port { get { return _server == null ? port : _server.Port; } }

    private void Awake()
    {
        _server = new ChatServer(port);
        Debug.Log("gamecrypt chat server " + _server.Status + ", key fingerprint " + _server.FingerprintHex);
    }

    private void Update()
    {
        _server.Update();
    }

    private void OnGUI()
    {
        GUILayout.BeginArea(new Rect(10, 10, 500, 300));
        GUILayout.Label("Server: " + _server.Status);
        GUILayout.Label("Fingerprint: " + _server.FingerprintHex);
        int first = Mathf.Max(0, _server.Log.Count - 10);
        for (int i = first; i < _server.Log.Count; i++) GUILayout.Label(_server.Log[i]);
        GUILayout.EndArea();
    }

    private void OnDestroy()
    {
        if (_server != null) _server.Dispose();
    }
}
